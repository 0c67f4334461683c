#include "chat/utf8_check.h"

#include "llmrt/core/utf8.h"
#include "llmrt/sdk/error.h"
#include "tokenizer/utf8_repair.h"

namespace llmrt::core {

std::optional<std::size_t> find_invalid_utf8(std::string_view text) noexcept {
  const std::size_t valid = tokenizer::valid_utf8_prefix(text);
  if (valid == text.size()) return std::nullopt;
  return valid;
}

std::size_t utf8_sequence_length(std::string_view text) noexcept {
  return tokenizer::leading_sequence_length(text);
}

std::string repair_utf8(std::string_view text) {
  if (tokenizer::is_valid_utf8(text)) return std::string(text);
  return tokenizer::repair_utf8(text);
}

void check_messages_utf8(const std::vector<Message>& messages) {
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const Message& m = messages[i];
    auto check = [&](const char* field, std::string_view text) {
      if (auto at = find_invalid_utf8(text)) {
        throw Error(ErrorKind::bad_request, "messages[" + std::to_string(i) + "]." + field +
                                                ": invalid UTF-8 at byte " + std::to_string(*at));
      }
    };
    check("role", m.role);
    check("content", m.content);
    if (m.name) check("name", *m.name);
    if (m.tool_call_id) check("tool_call_id", *m.tool_call_id);
    if (m.tool_calls_json) check("tool_calls", *m.tool_calls_json);
  }
}

}  // namespace llmrt::core
