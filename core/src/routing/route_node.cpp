#include "routing/route_node.h"

#include <algorithm>

namespace llmrt::core {
namespace {

void collect(const RouteNode& node, std::vector<const ModelState*>& out) {
  if (node.is_leaf()) {
    if (std::find(out.begin(), out.end(), node.deployment.get()) == out.end()) {
      out.push_back(node.deployment.get());
    }
    return;
  }
  for (const auto& target : node.targets) collect(*target, out);
  for (const auto& fallback : node.fallbacks) collect(*fallback, out);
  for (const auto& [kind, model] : node.on) collect(*model, out);
}

}  // namespace

const ModelState& RouteNode::primary() const {
  const RouteNode* node = this;
  while (!node->is_leaf()) node = node->targets.front().get();
  return *node->deployment;
}

void RouteNode::seal() {
  reachable_.clear();
  collect(*this, reachable_);
}

}  // namespace llmrt::core
