#include "llmrt/core/cancel_token.h"

namespace llmrt::core {

void CancelToken::cancel() {
  // Under the lock, so that an interrupt never runs after its subscription was reset: the
  // connection it closes may be gone by then.
  std::lock_guard lock(mutex_);
  cancelled_.store(true, std::memory_order_release);
  for (auto& [id, interrupt] : interrupts_) interrupt();
  wake_.notify_all();
}

bool CancelToken::wait_for(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  return wake_.wait_for(lock, duration, [this] { return cancelled(); });
}

CancelToken::Subscription CancelToken::on_cancel(std::function<void()> interrupt) {
  std::lock_guard lock(mutex_);
  if (cancelled()) {
    interrupt();
    return {};
  }
  std::uint64_t id = next_id_++;
  interrupts_.emplace(id, std::move(interrupt));
  return Subscription(this, id);
}

void CancelToken::remove(std::uint64_t id) noexcept {
  std::lock_guard lock(mutex_);
  interrupts_.erase(id);
}

CancelToken::Subscription& CancelToken::Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    reset();
    token_ = std::exchange(other.token_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

void CancelToken::Subscription::reset() noexcept {
  if (token_ != nullptr) std::exchange(token_, nullptr)->remove(id_);
}

}  // namespace llmrt::core
