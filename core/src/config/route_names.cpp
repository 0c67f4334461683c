#include <array>
#include <utility>

#include "llmrt/core/route_config.h"

namespace llmrt::core {
namespace {

// The names a configuration file writes ("strategy").
constexpr std::array<std::pair<RouteStrategy, std::string_view>, 4> kStrategyNames{{
    {RouteStrategy::weighted, "weighted"},
    {RouteStrategy::round_robin, "round_robin"},
    {RouteStrategy::least_busy, "least_busy"},
    {RouteStrategy::lowest_latency, "lowest_latency"},
}};

}  // namespace

std::string_view to_string(RouteStrategy strategy) noexcept {
  for (const auto& [s, name] : kStrategyNames) {
    if (s == strategy) return name;
  }
  return "unknown";
}

std::optional<RouteStrategy> route_strategy_from_string(std::string_view name) noexcept {
  for (const auto& [s, n] : kStrategyNames) {
    if (n == name) return s;
  }
  return std::nullopt;
}

}  // namespace llmrt::core
