#include "llmrt/plugins/openai_compat/finish_reasons.h"

#include <string>

namespace llmrt::plugins::openai_compat {

FinishReason finish_reason_of(std::string_view raw) {
  if (raw == "stop") return FinishReason::stop;
  if (raw == "length") return FinishReason::length;
  if (raw == "tool_calls" || raw == "function_call") return FinishReason::tool_calls;
  if (raw == "content_filter") return FinishReason::content_filter;
  return FinishReason::other;
}

FinishEvent finish_event(std::string_view raw) {
  return FinishEvent{finish_reason_of(raw), std::string(raw)};
}

}  // namespace llmrt::plugins::openai_compat
