#pragma once

// Conversations in OpenAI's chat-completions message format, the one shape llmrt reads them in
// from users (the CLI's --messages, batch input lines) and writes them back in (the assistant
// message of a reply, for the next turn):
//
//   {"role": "assistant", "content": null,
//    "tool_calls": [{"id": "call_1", "type": "function",
//                    "function": {"name": "get_weather", "arguments": "{\"city\":\"Oslo\"}"}}]}
//   {"role": "tool", "tool_call_id": "call_1", "content": "18 C"}
//   {"role": "user", "content": [{"type": "text", "text": "And this?"},
//                                {"type": "image_url", "image_url": {"url":
//                                "data:image/png;base64,…"}}]}
//
// Keys: role (any string: the meta template decides), content (a string, null, or an array of
// text and image_url parts), name, tool_call_id, tool_calls, and llmrt's `reasoning` (an array
// of {text, signature, redacted}: a provider's opaque reasoning, sent back to it). Anything
// else is refused, never dropped.

#include <string>
#include <string_view>
#include <vector>

#include "llmrt/sdk/json.h"
#include "llmrt/sdk/json_writer.h"
#include "llmrt/sdk/message.h"

namespace llmrt::core {

// The messages of a JSON array. Throws Error (bad_request) "<where>: [i].<key>: <what>" naming
// the message, the key (with the part or call inside it) and what was expected. An empty array
// is refused too: a conversation has at least one message.
std::vector<Message> messages_from_json(const json::Value& array, std::string_view where);

// The same from JSON text; a syntax error is reported by line and column
// ("<where>: line 3, column 12: invalid JSON: …").
std::vector<Message> parse_messages_json(std::string_view text, std::string_view where);

// One message in the same format: content a string (null for an assistant message with only
// tool calls) or, with parts, an array of parts; name, tool_call_id, tool_calls and reasoning
// when set.
void write_message_json(json::JsonWriter& w, const Message& message);

}  // namespace llmrt::core
