#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>

#include "llmrt/core/config.h"
#include "llmrt/core/model_config.h"
#include "llmrt/core/param_overrides.h"
#include "llmrt/core/runtime.h"

namespace llmrt::cli {

// The most retries --retry takes, as a configuration file's "retry".
inline constexpr int kMaxRetries = 100;

// The model or route a configuration means by `name`: that name, or its only model when
// `name` is empty and the file has no routes. Throws Error (bad_request) naming the file and
// the models and routes it has.
std::string resolve_config_name(const core::RuntimeConfig& config, const std::string& file,
                                const std::string& name);

// The model named `name` in a configuration file, or its only model when `name` is empty.
// Throws Error (bad_request) naming the file and the models it has, or saying that the name is
// a route. The file's plugin folders are added to `plugin_paths` when given.
core::ModelConfig model_from_config(const std::string& file, const std::string& name,
                                    std::vector<std::filesystem::path>* plugin_paths = nullptr);

// The MODEL options shared by chat (and later batch): which provider and model, where, with
// which keys, and the call's parameters.
struct ModelOptions {
  std::string config_file;  // --config: the model comes from this file (flags given override it)
  std::string config_name;  // --name
  std::string provider = "openai";
  std::string model;
  std::string api_base;
  std::vector<std::string> keys;
  std::vector<std::string> organizations;
  int retry = 2;
  double timeout_seconds = 0;        // 0: the transport's defaults
  double total_timeout_seconds = 0;  // 0: no limit
  std::string proxy;
  std::string ca_file;
  bool json_mode = false;
  std::string defaults;              // --defaults: the parameter preset (none, lagent)
  std::vector<std::string> params;   // KEY=VALUE
  std::vector<std::string> options;  // KEY=VALUE, provider switches

  void add_to(CLI::App& command);
  // The plugins (the --plugin paths, then the configuration file's plugin_paths) and, with
  // --config, the file's models and routes, the flags given applied to every model the named
  // one reaches. Throws Error (bad_request) naming what is wrong.
  core::Runtime runtime(const std::vector<std::string>& global) const;
  // The model or route the options name, from runtime() (which must have been called).
  core::ChatModel open(const core::Runtime& runtime) const;
  // Whether runtime() chose a route of the configuration (each of its models answers under its
  // own model name).
  bool names_route() const noexcept { return names_route_; }
  core::ParamOverrides overrides() const;

 private:
  void add_options_to(core::ModelConfig& config) const;
  void apply_flags(core::ModelConfig& config) const;
  bool given(const char* flag) const;

  CLI::App* command_ = nullptr;
  mutable std::string resolved_name_;  // with --config: the model or route runtime() chose
  mutable bool names_route_ = false;
};

}  // namespace llmrt::cli
