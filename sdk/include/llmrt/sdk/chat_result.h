#pragma once

#include <optional>
#include <string>
#include <vector>

#include "llmrt/sdk/finish_reason.h"
#include "llmrt/sdk/message.h"
#include "llmrt/sdk/tool.h"
#include "llmrt/sdk/visibility.h"

namespace llmrt {

struct Usage {
  long long prompt_tokens = 0;
  long long completion_tokens = 0;
  long long total_tokens = 0;
  // Parts of the counts above, where the provider reports them (0 otherwise): prompt tokens read
  // from and written to the provider's prompt cache (billed at other rates), and completion
  // tokens spent on reasoning.
  long long cache_read_tokens = 0;
  long long cache_write_tokens = 0;
  long long reasoning_tokens = 0;
};

struct ChatResult {
  std::string content{};
  std::string reasoning{};                         // the reasoning text, all blocks joined
  std::vector<ReasoningBlock> reasoning_blocks{};  // to send back (assistant_message)
  std::vector<ToolCall> tool_calls{};              // ordered by index
  std::optional<FinishReason> finish_reason{};     // null: the provider gave none
  std::string finish_reason_raw{};                 // the provider's own word for it
  std::optional<Usage> usage{};
  // What the plugin dropped or changed to fit the API (HttpRequest::warnings).
  std::vector<std::string> warnings{};
  // Set by llmrt, never by a plugin: the configured model that served the call (behind a route,
  // the target or fallback that answered; else the model's configuration name, or its API
  // model name when it has none), and what the call cost by that model's configured price
  // (null: no price configured, or no usage reported).
  std::string served_by{};
  std::optional<double> cost{};
};

// The finish reason's name ("stop", "length", …); empty when the provider gave none.
LLMRT_VISIBLE std::string_view finish_reason_name(const ChatResult& result) noexcept;

// The reply as the assistant message of the next turn: content, tool calls and the opaque
// reasoning the provider wants back.
LLMRT_VISIBLE Message assistant_message(const ChatResult& result);

}  // namespace llmrt
