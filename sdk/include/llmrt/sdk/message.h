#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "llmrt/sdk/tool.h"

namespace llmrt {

struct TextPart {
  std::string text{};
};

// An image, by URL or inline. Exactly one of `url` and `data` is set.
struct ImagePart {
  std::string url{};         // an http(s) URL, or a data: URL as OpenAI takes it
  std::string media_type{};  // with `data`: "image/png", "image/jpeg", …
  std::string data{};        // base64, without the "data:…;base64," prefix
  std::string detail{};      // OpenAI's "low", "high", "auto"; empty: not sent
};

using ContentPart = std::variant<TextPart, ImagePart>;

// Reasoning a provider wants back verbatim on the next turn of a conversation with tools:
// Anthropic's thinking blocks (text + signature) and redacted_thinking (data), Gemini's
// thought signatures. Opaque to llmrt: kept from the reply (ChatResult::reasoning_blocks) and
// rendered back by the plugin that produced it.
struct ReasoningBlock {
  std::string text{};
  std::string signature{};
  std::string redacted{};  // encrypted reasoning the provider shows no text for
};

// One turn of a conversation. Before the meta template runs, `role` is an internal role
// (system, user, assistant, environment, developer, tool, or any role the template defines);
// after it, an API role.
struct Message {
  std::string role{};
  // The text; when `parts` is not empty, the content is this text (when not empty) followed by
  // the parts. The meta template's begin/end wrap this text.
  std::string content{};
  std::vector<ContentPart> parts{};
  std::optional<std::string> name{};
  // On a tool result (role "tool"): the id of the call it answers.
  std::optional<std::string> tool_call_id{};
  // On an assistant message: the tool calls it made, sent back with their results.
  std::vector<ToolCall> tool_calls{};
  // On an assistant message: the provider's opaque reasoning to send back with it.
  std::vector<ReasoningBlock> reasoning{};
};

}  // namespace llmrt
