#include "llmrt/core/param_presets.h"

#include <utility>

namespace llmrt::core {
namespace {

constexpr std::pair<ParamDefaults, std::string_view> kPresetNames[] = {
    {ParamDefaults::none, "none"},
    {ParamDefaults::lagent, "lagent"},
};

}  // namespace

std::string_view to_string(ParamDefaults defaults) {
  for (const auto& [value, name] : kPresetNames) {
    if (value == defaults) return name;
  }
  return "none";
}

std::optional<ParamDefaults> parse_param_defaults(std::string_view name) {
  for (const auto& [value, known] : kPresetNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::string known_param_defaults() {
  std::string names;
  for (const auto& [value, name] : kPresetNames) {
    if (!names.empty()) names += ", ";
    names += name;
  }
  return names;
}

GenParams preset_params(ParamDefaults defaults) {
  return defaults == ParamDefaults::lagent ? lagent_defaults() : GenParams{};
}

GenParams lagent_defaults() {
  GenParams p;
  p.max_new_tokens = 512;
  p.top_p = 0.8;
  p.top_k = 40;
  p.temperature = 0.8;
  p.repetition_penalty = 0.0;
  return p;
}

GenParams with_defaults(GenParams params, const GenParams& defaults) {
  if (!params.max_new_tokens) params.max_new_tokens = defaults.max_new_tokens;
  if (!params.top_p) params.top_p = defaults.top_p;
  if (!params.temperature) params.temperature = defaults.temperature;
  if (!params.repetition_penalty) params.repetition_penalty = defaults.repetition_penalty;
  if (!params.top_k) params.top_k = defaults.top_k;
  if (!params.seed) params.seed = defaults.seed;
  if (params.stop_words.empty()) params.stop_words = defaults.stop_words;
  if (params.tools.empty()) params.tools = defaults.tools;
  if (!params.tool_choice) params.tool_choice = defaults.tool_choice;
  params.json_mode = params.json_mode || defaults.json_mode;
  for (const auto& [key, json] : defaults.extras) params.extras.try_emplace(key, json);
  return params;
}

}  // namespace llmrt::core
