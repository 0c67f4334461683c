#pragma once

#include <ostream>

#include "llmrt/core/call_control.h"
#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/stream_event.h"

namespace llmrt::cli {

// Prints a reply as it arrives: plain text, or with --events one JSON object per line
// (ARCHITECTURE.md, "The command line"). Tool calls are printed assembled, with the usage, when
// the reply ends. As plain text, reasoning goes to `err` after "reasoning: " (it is not the
// reply) and each tool call is a line "tool call NAME(ARGUMENTS)" after the reply's text.
// The plugin's warnings are {"type":"warning"} lines with --events (as they arrive when
// streaming, else before the end); as plain text the command prints them itself. The end event
// names the model that served the reply and its cost when known (kit/event_lines.h).
class EventPrinter {
 public:
  EventPrinter(std::ostream& out, bool json_events, std::ostream& err)
      : out_(out), err_(err), json_(json_events) {}

  void event(const StreamEvent& event);
  // A retry about to happen: {"type":"retry","attempt","kind","delay_ms"} with --events.
  void retry(const core::RetryNotice& notice);
  // A routed call moving to another deployment: {"type":"route","from","model","reason",
  // "status"?,"message"?} with --events; as plain text a line on `err`, "llmrt: gpt failed
  // (server: HTTP 500: …); trying claude".
  void route(const core::RouteNotice& notice);
  // The end of a reply (streamed or whole): tool calls, the assistant message when it carries
  // tool calls or reasoning blocks ({"type":"message","message":{…}}, OpenAI's format), usage
  // and the end event.
  void end(const ChatResult& result, bool streamed);
  // A failed call: the error event (with --events) on stdout, the description on `err`.
  void error(const Error& error);
  // A call cancelled by Ctrl-C: as error() (the `cancelled` event carries the partial text),
  // with a short line on `err` instead of the error's description.
  void interrupted(const Error& error);

  // {"type":"warning","message":…}: what the plugin dropped or changed in the request.
  static std::string warning_json(std::string_view message);
  // The error event for `error`, as one JSON line without the newline.
  static std::string error_json(const ErrorInfo& info, std::string_view partial_content);

 private:
  void end_reasoning();
  // The error event with --events, else the end of a partial line of text.
  void end_with_error(const Error& error);

  std::ostream& out_;
  std::ostream& err_;
  bool json_;
  bool text_started_ = false;
  bool reasoning_open_ = false;  // plain text: a reasoning line on err_ is not ended yet
  bool reasoning_shown_ = false;
};

// One JSON line per raw SSE event: {"event","data","id"}.
std::string sse_event_json(std::string_view type, std::string_view data, std::string_view id);

}  // namespace llmrt::cli
