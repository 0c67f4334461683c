#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "llmrt/sdk/tool.h"

namespace llmrt {

// Generation parameters in llmrt's own vocabulary; each plugin renames them for its API
// (max_new_tokens → max_tokens, stop_words → stop, …). A parameter that is not set is not
// sent: the provider's own default applies. lagent's values are a preset
// (core::lagent_defaults()).
struct GenParams {
  std::optional<int> max_new_tokens{};
  std::optional<double> top_p{};
  std::optional<double> temperature{};
  // OpenAI-style APIs send it as frequency_penalty; DashScope as repetition_penalty (neutral 1).
  std::optional<double> repetition_penalty{};
  std::optional<int> top_k{};
  std::vector<std::string> stop_words{};
  std::optional<long long> seed{};
  bool json_mode = false;
  // The tools the model may call, and whether it must; each plugin renders them.
  std::vector<ToolSpec> tools{};
  std::optional<ToolChoice> tool_choice{};
  // Keys llmrt does not know, passed to the provider as they are: key → JSON text (already
  // validated as JSON by whoever put it here).
  std::map<std::string, std::string> extras{};
};

}  // namespace llmrt
