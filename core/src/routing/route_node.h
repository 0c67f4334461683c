#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "chat/model_state.h"
#include "llmrt/core/route_config.h"

namespace llmrt::core {

// What a ChatModel stands for: one deployment (a leaf), or a route over other nodes. Nodes are
// shared: every route of a Runtime that names a model reaches the same leaf, and so the same
// connections, keys, budgets, health and counters.
struct RouteNode {
  std::string name;
  std::shared_ptr<const ModelState> deployment;  // set for a leaf only
  RouteConfig route{};
  std::vector<std::shared_ptr<const RouteNode>> targets{};  // in RouteConfig::targets order
  std::vector<std::shared_ptr<const RouteNode>> fallbacks{};
  std::map<ErrorKind, std::shared_ptr<const RouteNode>> on{};
  mutable std::atomic<std::uint64_t> turn{0};  // round_robin's counter

  bool is_leaf() const noexcept { return deployment != nullptr; }
  // The deployment a call of this node tries first when all is well: the first target's,
  // recursively (for prepare(), tokenize() and config()).
  const ModelState& primary() const;
  // Every deployment it can reach, each once, in order of first appearance (set by seal()).
  const std::vector<const ModelState*>& deployments() const noexcept { return reachable_; }
  // Called once its targets, fallbacks and `on` are set.
  void seal();

 private:
  std::vector<const ModelState*> reachable_;
};

}  // namespace llmrt::core
