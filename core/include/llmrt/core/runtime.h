#pragma once

#include <filesystem>
#include <memory>
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

  // A runtime for a configuration already read (a program's own, or a file's with changes).
  explicit Runtime(RuntimeConfig config,
                   const std::vector<std::filesystem::path>& plugin_paths = {});

  // Throws Error (not_found) when no plugin has that provider name. Each call makes a model of
  // its own (its own connections, keys, budgets and counters).
  ChatModel model(ModelConfig config) const;
  // A model or route named in the configuration. Throws Error (not_found) naming the models
  // and routes it has. Every model and route of one Runtime that uses a configured model shares
  // its deployment: connections, keys, rate budgets, health and counters.
  ChatModel model(std::string_view name) const;

  // The counters of every configured deployment used so far.
  MetricsSnapshot metrics() const;

  const RuntimeConfig& config() const noexcept { return config_; }

  const PluginRegistry& plugins() const noexcept { return registry_; }
  PluginRegistry& plugins() noexcept { return registry_; }
  const std::vector<LoadError>& load_errors() const noexcept { return load_errors_; }

 private:
  struct Deployments;  // the configured models and routes made so far, by name

  PluginRegistry registry_;
  std::vector<LoadError> load_errors_;
  RuntimeConfig config_;
  std::shared_ptr<Deployments> deployments_;
};

}  // namespace llmrt::core
