#pragma once

#include <CLI/CLI.hpp>

#include "llmrt/core/model_config.h"
#include "llmrt/core/param_overrides.h"

namespace llmrt::cli {

// The most retries --retry takes, as a configuration file's "retry".
inline constexpr int kMaxRetries = 100;

// The model named `name` in a configuration file, or its only model when `name` is empty.
// Throws Error (bad_request) naming the file and the models it has.
core::ModelConfig model_from_config(const std::string& file, const std::string& name);

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
  std::vector<std::string> params;   // KEY=VALUE
  std::vector<std::string> options;  // KEY=VALUE, provider switches

  void add_to(CLI::App& command);
  // Throws Error (bad_request) naming the option that is wrong.
  core::ModelConfig to_config() const;
  core::ParamOverrides overrides() const;

 private:
  void add_options_to(core::ModelConfig& config) const;
  void apply_flags(core::ModelConfig& config) const;
  bool given(const char* flag) const;

  CLI::App* command_ = nullptr;
};

}  // namespace llmrt::cli
