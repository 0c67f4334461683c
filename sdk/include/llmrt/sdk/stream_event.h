#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/finish_reason.h"

namespace llmrt {

// What a StreamDecoder reports, one value per thing the provider said. The order and what the
// core does with each are the stream contract in provider.h.

// A piece of the reply's text, appended to what came before (UTF-8 as the server sent it; a
// piece may end mid-character, the next one continues it).
struct ContentDelta {
  std::string text{};
};
// A fragment of reasoning. Fragments with the same `block` build one ReasoningBlock (texts,
// signatures and redacted data each appended); blocks are ordered by `block`. Most providers
// have one block and send only text.
struct ReasoningDelta {
  std::string text{};
  std::string signature{};
  std::string redacted{};
  std::int64_t block = 0;
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
// Why the model stopped, mapped to llmrt's words with the provider's own kept. It does not end
// the stream: the last one is reported when the stream completes.
struct FinishEvent {
  FinishReason reason = FinishReason::other;
  std::string raw{};  // the provider's own value ("end_turn", "MAX_TOKENS", …)
};
// Token counts, whenever the provider sends them (often after the finish reason). The last
// one wins.
struct UsageEvent {
  Usage usage{};
};
// The provider reported an error inside the stream: it ends the stream with this error.
// Classify it as classify_error would (kind, code, message); http_status stays 0.
struct ErrorEvent {
  ErrorInfo error{};
};
// The provider said the stream is complete ("[DONE]", or DashScope's last event). Anything
// after it is ignored.
struct DoneEvent {};
// Something the caller should know that is no failure: a parameter the plugin dropped or
// changed (from HttpRequest::warnings), delivered before the reply's first event.
struct WarningEvent {
  std::string message{};
};

using StreamEvent = std::variant<ContentDelta, ReasoningDelta, ToolCallDelta, FinishEvent,
                                 UsageEvent, ErrorEvent, DoneEvent, WarningEvent>;

}  // namespace llmrt
