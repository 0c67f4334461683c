#pragma once

#include <string_view>

#include "llmrt/sdk/stream_event.h"

namespace llmrt::plugins::openai_compat {

// OpenAI's finish_reason words (DashScope and Puyu use the same): stop, length, tool_calls,
// function_call (the older name), content_filter; anything else is `other`, raw value kept.
FinishReason finish_reason_of(std::string_view raw);
FinishEvent finish_event(std::string_view raw);

}  // namespace llmrt::plugins::openai_compat
