#include "tokenizer/base64.h"

#include <array>
#include <cstdint>

namespace llmrt::core::tokenizer {
namespace {

constexpr std::uint8_t kInvalid = 0xFF;

constexpr std::array<std::uint8_t, 256> make_alphabet() {
  std::array<std::uint8_t, 256> table{};
  table.fill(kInvalid);
  constexpr std::string_view kDigits =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < kDigits.size(); ++i) {
    table[static_cast<unsigned char>(kDigits[i])] = static_cast<std::uint8_t>(i);
  }
  return table;
}

constexpr auto kAlphabet = make_alphabet();

}  // namespace

std::optional<std::string> decode_base64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    const std::size_t digits = last ? 4 - padding : 4;
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      std::uint8_t value = 0;
      if (j < digits) {
        value = kAlphabet[static_cast<unsigned char>(text[i + j])];
        if (value == kInvalid) return std::nullopt;
      }
      group = group << 6 | value;
    }
    out.push_back(static_cast<char>(group >> 16));
    if (digits > 2) out.push_back(static_cast<char>(group >> 8 & 0xFF));
    if (digits > 3) out.push_back(static_cast<char>(group & 0xFF));
  }
  return out;
}

}  // namespace llmrt::core::tokenizer
