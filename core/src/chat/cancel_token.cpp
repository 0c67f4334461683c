#include "llmrt/core/cancel_token.h"

namespace llmrt::core {

void CancelToken::cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  if (interrupt_) interrupt_();
  wake_.notify_all();
}

bool CancelToken::cancelled() const {
  std::lock_guard lock(mutex_);
  return cancelled_;
}

bool CancelToken::wait_for(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  return wake_.wait_for(lock, duration, [this] { return cancelled_; });
}

void CancelToken::set_interrupt(std::function<void()> interrupt) {
  std::lock_guard lock(mutex_);
  interrupt_ = std::move(interrupt);
  if (cancelled_ && interrupt_) interrupt_();
}

void CancelToken::clear_interrupt() {
  std::lock_guard lock(mutex_);
  interrupt_ = nullptr;
}

}  // namespace llmrt::core
