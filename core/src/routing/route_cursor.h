#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "routing/route_node.h"

namespace llmrt::core {

class CancelToken;

// What choosing a deployment needs from the call it is for.
struct CursorEnv {
  bool streamed = false;
  CancelToken* cancel = nullptr;
  std::optional<std::chrono::steady_clock::time_point> deadline{};
  // The tokens a request to this deployment is estimated at (its tpm budget's view).
  std::function<long long(const ModelState&)> estimate{};
  // A target passed over because its rate budget can never hold the request: why (the call's
  // error when nothing else is left to try).
  std::function<void(const Error&)> refused{};
  // The deployments this call went to: a fallback route that names one of them again passes it
  // over (it had its own retries already).
  std::vector<const ModelState*> visited{};
};

// Walks one call through a node: which deployment to try first, and after a failure which one
// next, or none. A leaf yields its deployment once per call (one the call already went to is
// passed over, wherever it is named again). A route yields its targets by its strategy
// (skipping those cooling down and those whose budgets can never hold the request, preferring
// those with room in their rate budgets), then its
// fallbacks in order; a failure whose kind the route maps in `on` goes straight to that model,
// and its outcome is final. Failures of the request itself (bad_request, context_length,
// content_filter, cancelled) move nowhere but through `on`. Nested routes walk the same way.
class RouteCursor {
 public:
  RouteCursor(const RouteNode& node, CursorEnv& env);
  ~RouteCursor();

  // The first deployment. When every target is cooling down it waits for the first to come
  // back (WhenAllCooling::wait, within the deadline) or returns null (fail, or no time).
  const ModelState* start();
  // The next deployment after `failure` of the current one; null when nothing is left.
  const ModelState* after(const Error& failure);
  // Whether anything could still be tried after the current deployment (a deployment that
  // cools down mid-call is left only when there is).
  bool has_alternatives() const;
  // When start() found every target cooling: when the first comes back.
  std::optional<std::chrono::steady_clock::time_point> cooling_until() const noexcept {
    return cooling_until_;
  }

 private:
  enum class Phase { targets, fallbacks, on, done };

  const ModelState* descend(const RouteNode& node);
  const ModelState* next_target();
  const ModelState* next_fallback();
  bool available(const RouteNode& node, std::chrono::steady_clock::time_point now);
  // Waits for the first cooling target or fallback to come back; false when it may not.
  bool wait_for_cooling(std::chrono::steady_clock::time_point now);

  const RouteNode& node_;
  CursorEnv& env_;
  Phase phase_ = Phase::targets;
  std::vector<bool> tried_;
  std::size_t fallback_ = 0;
  bool yielded_ = false;  // a leaf, or a route that yielded at least one deployment
  std::unique_ptr<RouteCursor> sub_;
  std::optional<std::chrono::steady_clock::time_point> cooling_until_;
};

// Whether a failure of this kind is worth trying on another deployment: not when the request
// itself is at fault (another deployment would refuse it too) or the caller cancelled.
bool moves_on(ErrorKind kind) noexcept;

}  // namespace llmrt::core
