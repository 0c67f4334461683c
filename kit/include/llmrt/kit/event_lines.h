#pragma once

// The `--events` JSON lines: one JSON object per line for what a reply gives, as
// `llmrt chat --events`, `llmrt decode` and `llmrt test-plugin` print them and as golden event
// files hold them. This is the one place the format is written.
//
//   {"type":"delta","content":"Hel"}
//   {"type":"reasoning","content":"..."}
//   {"type":"warning","message":"top_k is not sent"}
//   {"type":"reasoning_block","index":0,"text","signature","redacted"}  (only a block the
//    provider wants back: one with a signature or redacted data)
//   {"type":"tool_call","index":0,"id":"call_1","name":"get_weather","arguments":"{...}"}
//   {"type":"usage","prompt_tokens":9,"completion_tokens":20,"total_tokens":29}
//   {"type":"end","finish_reason":"stop"[,"finish_reason_raw":"end_turn"][,"model":"gpt"]
//    [,"cost":0.00042],"content":"..."}  (model and cost: set by llmrt's model, see
//    ChatResult::served_by and cost; a decoded or replayed reply has neither)
//   {"type":"retry","attempt":1,"kind":"server","status":500,"delay_ms":500}
//   {"type":"route","from":"gpt","model":"claude","reason":"server"[,"status":500]
//    [,"message":"..."]}  (a routed call moving on; from is empty when no attempt was made)
//   {"type":"error","kind","status","code","message"[,"request_id","retryable","retry_after_ms"],
//    "url","partial_content"}
//
// Text is written as UTF-8: bytes that are not become U+FFFD, one per maximal ill-formed part.

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/stream_event.h"

namespace llmrt::kit {

// The line printed as `event` arrives (delta, reasoning, warning); null for the events whose
// content is printed at the end, assembled (tool calls, usage, finish, done, error).
std::optional<std::string> event_line(const StreamEvent& event);

// The lines that end a reply: its reasoning when it was not streamed (a streamed reply printed
// it as it came), its signed or redacted reasoning blocks, its tool calls, its usage, and the
// end line with the whole content.
std::vector<std::string> end_lines(const ChatResult& result, bool streamed);
// The same lines written to `out`, each ending in a newline; the end line's text is escaped a
// piece at a time, so that a reply of any length is never copied whole.
void write_end_lines(std::ostream& out, const ChatResult& result, bool streamed);

// The line of a failed call; `partial_content` is the reply text that arrived before it.
std::string error_line(const ErrorInfo& info, std::string_view partial_content);
// The same line written to `out`, ending in a newline, its partial content escaped a piece at a
// time: a stream cut at its limit leaves no second, escaped copy of what arrived.
void write_error_line(std::ostream& out, const ErrorInfo& info, std::string_view partial_content);

// {"type":"retry","attempt","kind","status","delay_ms"}: a retry about to happen.
std::string retry_line(int attempt, ErrorKind kind, int status, long long delay_ms);

// {"type":"route","from","model","reason","status"?,"message"?}: a routed call moving from one
// deployment to the next (core::RouteNotice); status only when nonzero, message when set.
std::string route_line(std::string_view from, std::string_view to, std::string_view reason,
                       int status, std::string_view message);

// {"event","data","id"}: one raw server-sent event (`llmrt decode --sse`).
std::string sse_event_line(std::string_view type, std::string_view data, std::string_view id);

// One stream event exactly as a decoder gave it, fragments and markers included
// ({"type":"tool_call_delta",…}, {"type":"finish",…}, {"type":"done"}): not part of the
// `--events` format; the kit shows it when two ways of feeding a body disagree.
std::string raw_event_line(const StreamEvent& event);

}  // namespace llmrt::kit
