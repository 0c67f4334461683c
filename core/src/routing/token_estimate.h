#pragma once

#include "chat/model_state.h"
#include "llmrt/sdk/gen_params.h"

namespace llmrt::core {

// What a request is taken to cost against a tokens-per-minute budget before it is sent, as the
// providers count it at admission: the prompt's tokens plus the output limit.
// kDefaultOutputEstimate stands for the output when the call sets no max_new_tokens.
inline constexpr long long kDefaultOutputEstimate = 1024;

// The prompt is counted with the built-in tokenizer: the model's own encoding (exact for
// OpenAI's models), o200k_base for a model tiktoken does not know, and a byte count / 4 when no
// rank file is installed.
long long estimate_request_tokens(const ModelState& model, const ChatRequest& request);

}  // namespace llmrt::core
