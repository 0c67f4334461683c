#pragma once

#include <set>
#include <string>

#include "llmrt/sdk/chat_request.h"

namespace llmrt::plugins::openai_compat {

struct BodyOptions {
  // lagent's cap: max_tokens = min(max_new_tokens, cap). ChatRequest option "max_tokens_cap"
  // overrides it.
  int max_tokens_cap = 4096;
  // Ask for the usage chunk at the end of a stream (stream_options.include_usage).
  bool stream_usage = true;
  // When set, only these top-level body keys are sent (APIs that reject unknown parameters).
  const std::set<std::string, std::less<>>* allowed_keys = nullptr;
};

// o1/o3/o4 and gpt-5 models take max_completion_tokens and reject sampling parameters.
bool is_reasoning_model(std::string_view model);

// The JSON body of POST /chat/completions, with lagent's parameter mapping. Throws Error
// (bad_request) when an extra parameter collides with one llmrt sets itself.
std::string render_chat_body(const ChatRequest& request, const BodyOptions& options = {});

}  // namespace llmrt::plugins::openai_compat
