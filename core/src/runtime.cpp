#include "llmrt/core/runtime.h"

namespace llmrt::core {

Runtime::Runtime(const std::vector<std::filesystem::path>& plugin_paths)
    : load_errors_(registry_.discover(plugin_paths)) {}

ChatModel Runtime::model(ModelConfig config) const {
  auto provider = registry_.get_provider(config.provider);
  return ChatModel(std::move(provider), std::move(config));
}

}  // namespace llmrt::core
