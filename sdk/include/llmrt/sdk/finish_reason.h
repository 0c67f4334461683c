#pragma once

#include <optional>
#include <string_view>

#include "llmrt/sdk/visibility.h"

namespace llmrt {

// Why the model stopped, in words every provider's own maps onto. Each plugin maps its API's
// values ("end_turn", "MAX_TOKENS", "tool_use", …) and keeps the raw value beside it
// (FinishEvent::raw, ChatResult::finish_reason_raw), so nothing the provider said is lost.
enum class FinishReason {
  stop,            // the model finished, or a stop sequence was met
  length,          // the token limit cut the reply
  tool_calls,      // the model wants tools called
  content_filter,  // the provider withheld or cut the reply
  error,           // the provider says it failed while generating
  other,           // a value this version of llmrt has no word for (see the raw value)
};

// "stop", "length", "tool_calls", "content_filter", "error", "other".
LLMRT_VISIBLE std::string_view to_string(FinishReason reason) noexcept;
// The reverse of to_string; null on any other text.
LLMRT_VISIBLE std::optional<FinishReason> finish_reason_from_string(std::string_view name) noexcept;

}  // namespace llmrt
