#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/error.h"

namespace llmrt {

struct ContentDelta {
  std::string text{};
};
struct ReasoningDelta {
  std::string text{};
};
// One fragment of a streamed tool call. The first fragment of a call carries id and name;
// later ones add pieces of arguments. Fragments are matched by index (ChatResultBuilder). The
// index is the server's, as a 64-bit integer: every value is its own call, negative ones too
// (plugins refuse an index that is no 64-bit integer as a protocol error).
struct ToolCallDelta {
  std::int64_t index = 0;
  std::string id{};
  std::string name{};
  std::string arguments{};
};
struct FinishEvent {
  std::string reason{};
};
struct UsageEvent {
  Usage usage{};
};
// The provider reported an error inside the stream.
struct ErrorEvent {
  ErrorInfo error{};
};
// The provider said the stream is complete ("[DONE]", or DashScope's last event).
struct DoneEvent {};

using StreamEvent = std::variant<ContentDelta, ReasoningDelta, ToolCallDelta, FinishEvent,
                                 UsageEvent, ErrorEvent, DoneEvent>;

}  // namespace llmrt
