#pragma once

#include <string>
#include <vector>

#include "llmrt/sdk/chat_request.h"

namespace llmrt::plugins::qwen {

// The native text-generation body: {"model", "input":{"messages"}, "parameters":{…}} with
// DashScope's own parameter names. Extras go into "parameters". A parameter set but not sent
// as set adds a line to `warnings` when given.
std::string render_native_body(const ChatRequest& request,
                               std::vector<std::string>* warnings = nullptr);

// The messages as DashScope takes them: "developer" (OpenAI's role, which DashScope does not
// list) as "system". On the native text-generation endpoint, whose content is a string, text
// parts are joined into it with "\n" and an image part is an Error (bad_request): images go
// to DashScope's multimodal-generation endpoint, which this plugin does not call.
std::vector<Message> dashscope_messages(const std::vector<Message>& messages, bool native);

// Whether a streamed native request asks for increments (incremental_output, true unless the
// caller turned it off); without it DashScope repeats the whole text in every event.
bool incremental_output(const ChatRequest& request);

}  // namespace llmrt::plugins::qwen
