#include "llmrt/core/param_presets.h"

namespace llmrt::core {

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
