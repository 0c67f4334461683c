#pragma once

#include <ostream>

#include "llmrt/core/call_control.h"
#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/stream_event.h"

namespace llmrt::cli {

// Prints a reply as it arrives: plain text, or with --events one JSON object per line
// (ARCHITECTURE.md, "The command line"). Tool calls are printed assembled, with the usage, when
// the reply ends.
class EventPrinter {
 public:
  EventPrinter(std::ostream& out, bool json_events) : out_(out), json_(json_events) {}

  void event(const StreamEvent& event);
  // A retry about to happen: {"type":"retry","attempt","kind","delay_ms"} with --events.
  void retry(const core::RetryNotice& notice);
  // The end of a reply (streamed or whole): tool calls, usage and the end event.
  void end(const ChatResult& result, bool streamed);
  // A failed call: the error event (with --events) on stdout, the description on stderr.
  void error(const Error& error, std::ostream& err);
  // A call cancelled by Ctrl-C: as error() (the `cancelled` event carries the partial text),
  // with a short line on `err` instead of the error's description.
  void interrupted(const Error& error, std::ostream& err);

  // The error event for `error`, as one JSON line without the newline.
  static std::string error_json(const ErrorInfo& info, std::string_view partial_content);

 private:
  // The error event with --events, else the end of a partial line of text.
  void end_with_error(const Error& error);

  std::ostream& out_;
  bool json_;
  bool text_started_ = false;
};

// One JSON line per raw SSE event: {"event","data","id"}.
std::string sse_event_json(std::string_view type, std::string_view data, std::string_view id);

}  // namespace llmrt::cli
