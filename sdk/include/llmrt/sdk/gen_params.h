#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace llmrt {

// Generation parameters in llmrt's own vocabulary; each plugin renames them for its API
// (max_new_tokens → max_tokens, stop_words → stop, …). The defaults are lagent's for
// OpenAI-style providers.
struct GenParams {
  int max_new_tokens = 512;
  double top_p = 0.8;
  double temperature = 0.8;
  // 0 means "not set" for OpenAI-style APIs (frequency_penalty 0); DashScope's neutral value is 1.
  double repetition_penalty = 0.0;
  std::optional<int> top_k{};
  std::vector<std::string> stop_words{};
  std::optional<long long> seed{};
  bool json_mode = false;
  // Keys llmrt does not know, passed to the provider as they are: key → JSON text (already
  // validated as JSON by whoever put it here).
  std::map<std::string, std::string> extras{};
};

}  // namespace llmrt
