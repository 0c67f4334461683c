#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/sdk/error.h"

namespace llmrt::core {

// How a route picks among its targets that are not cooling down (and, when rate budgets are
// set, that have room now).
enum class RouteStrategy {
  weighted,        // at random, in proportion to the targets' weights
  round_robin,     // each in turn
  least_busy,      // the one with the fewest calls in flight
  lowest_latency,  // the one with the lowest moving average of recent latency (time to first
                   // token for streams); a target with no measurement yet goes first
};
std::string_view to_string(RouteStrategy strategy) noexcept;
std::optional<RouteStrategy> route_strategy_from_string(std::string_view name) noexcept;

// What a call does when every target of its route is cooling down.
enum class WhenAllCooling {
  wait,  // until the first target's cooldown ends (within the call's deadline and cancellation)
  fail,  // at once, with the error that cooled the last target
};

struct RouteTarget {
  std::string model;  // a model (or route) of the same configuration
  unsigned weight = 1;
};

// One logical model standing for several deployments (README, "Routes"). Every name in it is a
// model or another route of the configuration; load_config refuses unknown names and cycles.
struct RouteConfig {
  std::vector<RouteTarget> targets{};
  RouteStrategy strategy = RouteStrategy::weighted;
  // Tried in order once every target failed with an error worth trying elsewhere.
  std::vector<std::string> fallbacks{};
  // A failure of this kind goes straight to the named model, whatever is left to try.
  std::map<ErrorKind, std::string> on{};
  WhenAllCooling when_all_cooling = WhenAllCooling::wait;
};

}  // namespace llmrt::core
