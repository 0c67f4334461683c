#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>

#include "llmrt/core/model_config.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {

// Whether a deployment is worth calling: it cools down (is skipped by its routes) after
// HealthPolicy::failures failures that say the deployment, not the request, is in trouble —
// server errors, timeouts, network failures, rate limits — within HealthPolicy::window.
// Thread-safe.
class DeploymentHealth {
 public:
  using Clock = std::chrono::steady_clock;

  explicit DeploymentHealth(HealthPolicy policy) : policy_(policy) {}

  // Whether a failure of this kind counts against the deployment's health. Auth and quota
  // failures belong to a key and follow the key pool's rules instead.
  static bool counts(ErrorKind kind) noexcept;

  // A failed attempt. `retry_after`: the provider's hint, which sets the cooldown when this
  // failure starts one. Returns true when it did.
  bool record_failure(ErrorKind kind, std::optional<std::chrono::milliseconds> retry_after,
                      Clock::time_point now);
  // When the cooldown ends; null when the deployment is not cooling at `now`.
  std::optional<Clock::time_point> cooling_until(Clock::time_point now) const;
  // Back in rotation at once (ChatModel::reset_keys).
  void reset();

 private:
  HealthPolicy policy_;
  mutable std::mutex mutex_;
  std::deque<Clock::time_point> failures_;  // within the window; at most policy_.failures
  Clock::time_point cooling_until_{};
};

}  // namespace llmrt::core
