#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "llmrt/core/route_config.h"

namespace llmrt::core {

// What a strategy knows of one candidate target.
struct Candidate {
  std::size_t index = 0;  // in the route's target list
  unsigned weight = 1;
  int in_flight = 0;
  std::optional<double> latency{};  // seconds; null: not measured yet
};

// The candidate a strategy picks (an index into `candidates`, which must not be empty).
// `turn` is the route's call counter (round_robin); `random` a number in [0, 1) (weighted, and
// ties).
std::size_t pick_target(RouteStrategy strategy, const std::vector<Candidate>& candidates,
                        std::uint64_t turn, double random);

}  // namespace llmrt::core
