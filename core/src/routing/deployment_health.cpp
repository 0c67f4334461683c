#include "routing/deployment_health.h"

namespace llmrt::core {

bool DeploymentHealth::counts(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::server:
    case ErrorKind::timeout:
    case ErrorKind::network:
    case ErrorKind::rate_limited:
      return true;
    default:
      return false;
  }
}

bool DeploymentHealth::record_failure(ErrorKind kind,
                                      std::optional<std::chrono::milliseconds> retry_after,
                                      Clock::time_point now) {
  if (policy_.failures <= 0 || !counts(kind)) return false;
  std::lock_guard lock(mutex_);
  if (now < cooling_until_) return false;  // already out: calls in flight still report back
  while (!failures_.empty() && now - failures_.front() >= policy_.window) failures_.pop_front();
  failures_.push_back(now);
  if (failures_.size() < static_cast<std::size_t>(policy_.failures)) return false;
  failures_.clear();
  cooling_until_ = now + retry_after.value_or(policy_.cooldown);
  return true;
}

std::optional<DeploymentHealth::Clock::time_point> DeploymentHealth::cooling_until(
    Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  if (now < cooling_until_) return cooling_until_;
  return std::nullopt;
}

void DeploymentHealth::reset() {
  std::lock_guard lock(mutex_);
  failures_.clear();
  cooling_until_ = {};
}

}  // namespace llmrt::core
