#include "llmrt/core/runtime.h"

namespace llmrt::core {

Runtime::Runtime(const std::vector<std::filesystem::path>& plugin_paths)
    : load_errors_(registry_.discover(plugin_paths)) {}

Runtime Runtime::from_config(const std::filesystem::path& file) {
  RuntimeConfig config = load_config(file);
  Runtime runtime(config.plugin_paths);
  runtime.config_ = std::move(config);
  return runtime;
}

ChatModel Runtime::model(std::string_view name) const {
  auto it = config_.models.find(name);
  if (it == config_.models.end()) {
    std::string known;
    for (const auto& [n, m] : config_.models) known += (known.empty() ? "" : ", ") + n;
    throw Error(ErrorKind::not_found,
                "no model named '" + std::string(name) +
                    "' in the configuration (models: " + (known.empty() ? "none" : known) + ")");
  }
  return model(it->second);
}

ChatModel Runtime::model(ModelConfig config) const {
  auto provider = registry_.get_provider(config.provider);
  return ChatModel(std::move(provider), std::move(config));
}

}  // namespace llmrt::core
