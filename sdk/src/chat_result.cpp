#include "llmrt/sdk/chat_result.h"

namespace llmrt {

std::string_view finish_reason_name(const ChatResult& result) noexcept {
  return result.finish_reason ? to_string(*result.finish_reason) : std::string_view();
}

Message assistant_message(const ChatResult& result) {
  Message message;
  message.role = "assistant";
  message.content = result.content;
  message.tool_calls = result.tool_calls;
  message.reasoning = result.reasoning_blocks;
  return message;
}

}  // namespace llmrt
