#pragma once

#include <string>
#include <string_view>

// Reading a response head's fields: ASCII only, no locale asked (RFC 9110 §5.1: field names
// and tokens are case-insensitive ASCII).
namespace llmrt::core {

// For error messages: printable ASCII as it is, anything else escaped, at most 60 bytes.
inline std::string in_quotes(std::string_view text) {
  std::string out = "'";
  for (char c : text.substr(0, 60)) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out + (text.size() > 60 ? "…'" : "'");
}

// The helpers below run for every field of every response: always inlined, views built from
// pointers (GCC leaves string_view::substr out of line, a call per use).
[[gnu::always_inline]] inline std::string_view trim(std::string_view s) {
  const char* begin = s.data();
  const char* end = begin + s.size();
  while (begin != end && (*begin == ' ' || *begin == '\t')) ++begin;
  while (end != begin && (end[-1] == ' ' || end[-1] == '\t')) --end;
  return {begin, static_cast<std::size_t>(end - begin)};
}

[[gnu::always_inline]] inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

// Whether `text` is `lower` (a lowercase literal) in any case. Field names and tokens are
// ASCII: no locale is asked. The lengths first: most names differ there.
[[gnu::always_inline]] inline bool iequals(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (ascii_lower(text[i]) != lower[i]) return false;
  }
  return true;
}

}  // namespace llmrt::core
