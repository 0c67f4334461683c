#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/core/model_config.h"
#include "llmrt/core/route_config.h"

namespace llmrt::core {

// A configuration file: plugin folders, named models and routes over them (the keys are documented
// in the README, "Configuration"). The CLI's --config and Runtime::from_config read the same file.
struct RuntimeConfig {
  std::vector<std::filesystem::path> plugin_paths{};
  std::map<std::string, ModelConfig, std::less<>> models{};
  // No name is both a model and a route.
  std::map<std::string, RouteConfig, std::less<>> routes{};
  // Where it was read from ("llmrt.json"), for errors found when a model is made from it; empty
  // for a configuration built in code.
  std::string source{};
};

// "models: a, b; routes: smart" (", routes: …" only when there are routes; "models: none"):
// what an error about an unknown name lists.
std::string known_names(const RuntimeConfig& config);

// Throws Error (bad_request) naming the file, the JSON path and what was expected, e.g.
// "llmrt.json: $.models.gpt.retry: expected a non-negative integer, got \"two\"". The file
// must be a regular file of at most kMaxConfigBytes, nested at most kMaxJsonDepth levels
// (llmrt/sdk/json_limits.h).
RuntimeConfig load_config(const std::filesystem::path& file);
// A configuration names models; 16 MiB is far beyond any, and a bound on what a wrong path
// (a log, a disk image) can cost.
inline constexpr std::size_t kMaxConfigBytes = std::size_t{16} << 20;
// The same for text already read; `source` names it in errors. Relative paths in it (plugin
// folders, CA files) are taken relative to `base_dir`.
RuntimeConfig parse_config(std::string_view json, std::string_view source,
                           const std::filesystem::path& base_dir = {});
// One model on its own: an object with the keys of an entry of "models" (provider, model, keys,
// retry, …), for hosts that hold a model's configuration without a file (the C API). Errors
// name `source` and the JSON path from "$" ("model.json: $.retry: expected …"); the model has
// no configuration name. Throws Error (bad_request) as parse_config does.
ModelConfig parse_model_config(std::string_view json, std::string_view source,
                               const std::filesystem::path& base_dir = {});

}  // namespace llmrt::core
