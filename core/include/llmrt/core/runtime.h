#pragma once

#include <filesystem>
#include <vector>

#include "llmrt/core/chat_model.h"
#include "llmrt/core/plugin_registry.h"

namespace llmrt::core {

// The entry point for a host application: discovers the provider plugins and makes models.
//   llmrt::core::Runtime runtime;
//   auto model = runtime.model({.provider = "openai", .model = "gpt-4o-mini"});
class Runtime {
 public:
  // Discovers plugins from `plugin_paths`, LLMRT_PLUGIN_PATH and the install folder. Files that
  // failed to load are in load_errors(); they do not stop the others.
  explicit Runtime(const std::vector<std::filesystem::path>& plugin_paths = {});

  // Throws Error (not_found) when no plugin has that provider name.
  ChatModel model(ModelConfig config) const;

  const PluginRegistry& plugins() const noexcept { return registry_; }
  PluginRegistry& plugins() noexcept { return registry_; }
  const std::vector<LoadError>& load_errors() const noexcept { return load_errors_; }

 private:
  PluginRegistry registry_;
  std::vector<LoadError> load_errors_;
};

}  // namespace llmrt::core
