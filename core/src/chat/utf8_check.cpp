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
    for (std::size_t p = 0; p < m.parts.size(); ++p) {
      const std::string where = "parts[" + std::to_string(p) + "]";
      if (const auto* text = std::get_if<TextPart>(&m.parts[p])) {
        check((where + ".text").c_str(), text->text);
      } else if (const auto* image = std::get_if<ImagePart>(&m.parts[p])) {
        check((where + ".url").c_str(), image->url);
        check((where + ".media_type").c_str(), image->media_type);
        check((where + ".data").c_str(), image->data);
      }
    }
    for (std::size_t c = 0; c < m.tool_calls.size(); ++c) {
      const std::string where = "tool_calls[" + std::to_string(c) + "]";
      check((where + ".id").c_str(), m.tool_calls[c].id);
      check((where + ".name").c_str(), m.tool_calls[c].name);
      check((where + ".arguments").c_str(), m.tool_calls[c].arguments);
    }
    for (std::size_t r = 0; r < m.reasoning.size(); ++r) {
      check(("reasoning[" + std::to_string(r) + "].text").c_str(), m.reasoning[r].text);
    }
  }
}

}  // namespace llmrt::core
