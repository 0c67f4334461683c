#include "llmrt/core/cancel_token.h"

namespace llmrt::core {

void CancelToken::cancel() {
  // Under the lock, so that an interrupt never runs after its subscription was reset: the
  // connection it closes may be gone by then.
  std::lock_guard lock(mutex_);
  cancelled_.store(true, std::memory_order_release);
  if (first_id_ != 0) first_();
  for (auto& [id, interrupt] : more_) interrupt();
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
  if (first_id_ == 0) {
    first_ = std::move(interrupt);
    first_id_ = id;  // after: a failed move leaves the slot free
  } else {
    more_.emplace(id, std::move(interrupt));
  }
  return Subscription(this, id);
}

void CancelToken::remove(std::uint64_t id) noexcept {
  std::lock_guard lock(mutex_);
  if (id == first_id_) {
    first_id_ = 0;
    first_ = nullptr;
  } else {
    more_.erase(id);
  }
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
