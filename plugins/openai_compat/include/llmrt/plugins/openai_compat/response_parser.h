#pragma once

#include <rapidjson/document.h>

#include <vector>

#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/http.h"

namespace llmrt::plugins::openai_compat {

// Appends the calls of a message's `tool_calls` array ({index?, id, type, function: {name,
// arguments}}), the shape DashScope's native messages share.
void read_tool_calls(const rapidjson::Value& calls, std::vector<ToolCall>& out);

// Parses a chat.completion body. Throws Error: protocol when it is not the expected JSON, the
// classified error when it carries an `error` object despite a 2xx status.
ChatResult parse_chat_completion(const HttpResponse& response);

}  // namespace llmrt::plugins::openai_compat
