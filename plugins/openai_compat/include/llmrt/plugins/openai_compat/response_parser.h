#pragma once

#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/http.h"

namespace llmrt::plugins::openai_compat {

// Parses a chat.completion body. Throws Error: protocol when it is not the expected JSON, the
// classified error when it carries an `error` object despite a 2xx status.
ChatResult parse_chat_completion(const HttpResponse& response);

}  // namespace llmrt::plugins::openai_compat
