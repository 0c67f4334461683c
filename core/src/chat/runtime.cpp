#include "llmrt/core/runtime.h"

#include <algorithm>
#include <mutex>
#include <set>

#include "chat/model_state.h"
#include "routing/route_node.h"

namespace llmrt::core {

struct Runtime::Deployments {
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<const RouteNode>, std::less<>> nodes;
};

namespace {

// Builds the node for a name of the configuration, and every node it reaches, once per Runtime.
class NodeBuilder {
 public:
  NodeBuilder(const RuntimeConfig& config, const PluginRegistry& registry,
              std::map<std::string, std::shared_ptr<const RouteNode>, std::less<>>& nodes)
      : config_(config), registry_(registry), nodes_(nodes) {}

  std::shared_ptr<const RouteNode> node(std::string_view name) {
    if (auto it = nodes_.find(name); it != nodes_.end()) return it->second;
    if (auto it = config_.models.find(name); it != config_.models.end()) {
      return leaf(it->first, it->second);
    }
    auto it = config_.routes.find(name);
    if (it == config_.routes.end()) {
      throw Error(ErrorKind::not_found, "no model or route named '" + std::string(name) +
                                            "' in the configuration (" + known_names(config_) +
                                            ")");
    }
    // load_config refuses cycles; a configuration made in code is checked here.
    if (!building_.insert(it->first).second) {
      throw Error(ErrorKind::bad_request, "route '" + it->first + "' reaches itself");
    }
    auto node = std::make_shared<RouteNode>();
    node->name = it->first;
    node->route = it->second;
    if (node->route.targets.empty()) {
      throw Error(ErrorKind::bad_request, "route '" + it->first + "' has no targets");
    }
    const RouteConfig& route = node->route;
    for (std::size_t i = 0; i < route.targets.size(); ++i) {
      node->targets.push_back(
          reached(it->first, "targets[" + std::to_string(i) + "]", route.targets[i].model));
    }
    for (std::size_t i = 0; i < route.fallbacks.size(); ++i) {
      node->fallbacks.push_back(
          reached(it->first, "fallbacks[" + std::to_string(i) + "]", route.fallbacks[i]));
    }
    for (const auto& [kind, model] : route.on) {
      node->on.emplace(kind, reached(it->first, "on." + std::string(to_string(kind)), model));
    }
    node->seal();
    building_.erase(it->first);
    nodes_.emplace(it->first, node);
    return node;
  }

 private:
  // The node a route names at `where`; a failure to build it says which route reached it, and
  // how (a model with no key may be a fallback seldom thought of).
  std::shared_ptr<const RouteNode> reached(const std::string& route, const std::string& where,
                                           const std::string& name) {
    try {
      return node(name);
    } catch (const Error& e) {
      ErrorInfo info = e.info();
      info.message = "route '" + route + "', " + where + ": " + info.message;
      throw Error(std::move(info));
    }
  }

  std::shared_ptr<const RouteNode> leaf(const std::string& name, ModelConfig config) {
    if (config.name.empty()) config.name = name;
    auto node = std::make_shared<RouteNode>();
    node->name = name;
    try {
      auto provider = registry_.get_provider(config.provider);
      node->deployment = make_model_state(std::move(provider), std::move(config));
    } catch (const Error& e) {
      ErrorInfo info = e.info();
      // Found after the file was read (a setting the plugin refuses): the file is named too.
      info.message = (config_.source.empty() ? std::string() : config_.source + ": ") + "model '" +
                     name + "': " + info.message;
      throw Error(std::move(info));
    }
    node->seal();
    nodes_.emplace(name, node);
    return node;
  }

  const RuntimeConfig& config_;
  const PluginRegistry& registry_;
  std::map<std::string, std::shared_ptr<const RouteNode>, std::less<>>& nodes_;
  std::set<std::string, std::less<>> building_;
};

}  // namespace

Runtime::Runtime(const std::vector<std::filesystem::path>& plugin_paths)
    : load_errors_(registry_.discover(plugin_paths)),
      deployments_(std::make_shared<Deployments>()) {}

Runtime::Runtime(RuntimeConfig config, const std::vector<std::filesystem::path>& plugin_paths)
    : config_(std::move(config)), deployments_(std::make_shared<Deployments>()) {
  std::vector<std::filesystem::path> paths = plugin_paths;
  paths.insert(paths.end(), config_.plugin_paths.begin(), config_.plugin_paths.end());
  load_errors_ = registry_.discover(paths);
}

Runtime Runtime::from_config(const std::filesystem::path& file) {
  return Runtime(load_config(file));
}

ChatModel Runtime::model(std::string_view name) const {
  std::lock_guard lock(deployments_->mutex);
  // Every node built for this call is kept only when the whole of it could be built.
  auto nodes = deployments_->nodes;
  auto node = NodeBuilder(config_, registry_, nodes).node(name);
  deployments_->nodes = std::move(nodes);
  return ChatModel(std::move(node));
}

ChatModel Runtime::model(ModelConfig config) const {
  auto provider = registry_.get_provider(config.provider);
  return ChatModel(std::move(provider), std::move(config));
}

MetricsSnapshot Runtime::metrics() const {
  std::vector<std::shared_ptr<const RouteNode>> nodes;
  {
    std::lock_guard lock(deployments_->mutex);
    for (const auto& [name, node] : deployments_->nodes) nodes.push_back(node);
  }
  MetricsSnapshot snapshot;
  std::set<const ModelState*> seen;
  const auto now = std::chrono::steady_clock::now();
  for (const auto& node : nodes) {
    if (!node->is_leaf() || !seen.insert(node->deployment.get()).second) continue;
    const DeploymentLive& live = *node->deployment->live;
    snapshot.deployments.push_back(
        live.metrics.snapshot(live.load.in_flight(), live.health.cooling_until(now).has_value()));
  }
  return snapshot;
}

}  // namespace llmrt::core
