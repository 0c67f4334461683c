#pragma once

#include <filesystem>
#include <vector>

#include "llmrt/core/chat_model.h"
#include "llmrt/core/config.h"
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

  // A runtime for a configuration file: its plugin folders first, then the usual search; its
  // models by name. Throws Error (bad_request) naming the file, the JSON path and what was
  // expected.
  static Runtime from_config(const std::filesystem::path& file);

  // Throws Error (not_found) when no plugin has that provider name.
  ChatModel model(ModelConfig config) const;
  // A model named in the configuration. Throws Error (not_found) naming the models it has.
  ChatModel model(std::string_view name) const;

  const RuntimeConfig& config() const noexcept { return config_; }

  const PluginRegistry& plugins() const noexcept { return registry_; }
  PluginRegistry& plugins() noexcept { return registry_; }
  const std::vector<LoadError>& load_errors() const noexcept { return load_errors_; }

 private:
  PluginRegistry registry_;
  std::vector<LoadError> load_errors_;
  RuntimeConfig config_;
};

}  // namespace llmrt::core
