#pragma once

#include <vector>

#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/http.h"
#include "llmrt/sdk/json.h"

namespace llmrt::plugins::openai_compat {

// A tool call's `index`: `fallback` when absent or null, the number when it is a 64-bit integer
// (negative ones included: they are kept apart from the others). Throws Error (protocol) for
// anything else — 2^63, 1.5, "0" — rather than merging that call into another.
long long tool_call_index(const llmrt::json::Value& call, long long fallback);

// Appends the calls of a message's `tool_calls` array ({index?, id, type, function: {name,
// arguments}}), the shape DashScope's native messages share.
void read_tool_calls(const llmrt::json::Value& calls, std::vector<ToolCall>& out);

// Parses a chat.completion body. Throws Error: protocol when it is not the expected JSON, the
// classified error when it carries an `error` object despite a 2xx status. A plain reply is
// read in one pass (read_completion); anything else by parse_completion_tree.
ChatResult parse_chat_completion(const HttpResponse& response);

// The general path: the body as a json::Document, read by lookups. The reference
// read_completion is checked against (tests, fuzz/completion_reader_fuzz.cpp).
ChatResult parse_completion_tree(const HttpResponse& response);

}  // namespace llmrt::plugins::openai_compat
