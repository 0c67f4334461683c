#include "routing/pick_target.h"

#include <algorithm>

namespace llmrt::core {
namespace {

std::size_t weighted(const std::vector<Candidate>& candidates, double random) {
  double total = 0;
  for (const Candidate& c : candidates) total += c.weight;
  double point = random * total;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    point -= candidates[i].weight;
    if (point < 0) return i;
  }
  return candidates.size() - 1;  // rounding at the very end of the range
}

// The lowest by `key`; among equals, one picked by `random`, so that equal targets share the
// calls instead of the first taking them all.
template <class Key>
std::size_t lowest(const std::vector<Candidate>& candidates, double random, Key key) {
  std::vector<std::size_t> best;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (best.empty() || key(candidates[i]) < key(candidates[best.front()])) {
      best.assign(1, i);
    } else if (!(key(candidates[best.front()]) < key(candidates[i]))) {
      best.push_back(i);
    }
  }
  auto at = static_cast<std::size_t>(random * static_cast<double>(best.size()));
  return best[std::min(at, best.size() - 1)];
}

}  // namespace

std::size_t pick_target(RouteStrategy strategy, const std::vector<Candidate>& candidates,
                        std::uint64_t turn, double random) {
  switch (strategy) {
    case RouteStrategy::round_robin:
      return static_cast<std::size_t>(turn % candidates.size());
    case RouteStrategy::least_busy:
      return lowest(candidates, random, [](const Candidate& c) { return c.in_flight; });
    case RouteStrategy::lowest_latency:
      // Not measured yet: first, so that every target gets measured.
      return lowest(candidates, random,
                    [](const Candidate& c) { return c.latency.value_or(-1.0); });
    case RouteStrategy::weighted:
      break;
  }
  return weighted(candidates, random);
}

}  // namespace llmrt::core
