#include "llmrt/core/chat_token_count.h"

namespace llmrt::core {

ChatFraming chat_framing_for_model(std::string_view model) {
  if (model.ends_with("gpt-3.5-turbo-0301")) return {.per_message = 4, .per_name = -1};
  return {};
}

std::size_t count_chat_tokens(const Tokenizer& tokenizer, const std::vector<Message>& api_messages,
                              const ChatFraming& framing) {
  auto tokens = [&](std::string_view text) {
    return static_cast<long long>(tokenizer.count(text, SpecialTokens::as_text));
  };
  long long total = framing.reply_priming;
  for (const Message& message : api_messages) {
    total += framing.per_message + tokens(message.role) + tokens(message.content);
    if (message.name) total += framing.per_name + tokens(*message.name);
    if (message.tool_call_id) total += tokens(*message.tool_call_id);
    for (const ContentPart& part : message.parts) {
      if (const auto* text = std::get_if<TextPart>(&part)) total += tokens(text->text);
    }
    for (const ToolCall& call : message.tool_calls) {
      total += tokens(call.id) + tokens(call.name) + tokens(call.arguments);
    }
  }
  return static_cast<std::size_t>(std::max(total, 0LL));
}

}  // namespace llmrt::core
