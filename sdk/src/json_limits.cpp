#include "llmrt/sdk/json_limits.h"

#include <cstring>

namespace llmrt {
namespace {

// The offset just past the quote that closes the string whose opening quote is before `at`, or
// text.size() when it never closes. A quote is escaped when an odd run of backslashes precedes
// it; the run cannot reach back past the opening quote.
std::size_t skip_string(std::string_view text, std::size_t at) noexcept {
  const char* begin = text.data();
  const char* end = begin + text.size();
  const char* p = begin + at;
  while (p < end) {
    const auto* quote =
        static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
    if (quote == nullptr) return text.size();
    std::size_t backslashes = 0;
    for (const char* b = quote; b > p && b[-1] == '\\'; --b) ++backslashes;
    p = quote + 1;
    if (backslashes % 2 == 0) break;
  }
  return static_cast<std::size_t>(p - begin);
}

}  // namespace

std::optional<std::size_t> find_excess_nesting(std::string_view text,
                                               std::size_t max_depth) noexcept {
  std::size_t depth = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    switch (text[i]) {
      case '"':
        i = skip_string(text, i + 1);
        continue;
      case '[':
      case '{':
        if (++depth > max_depth) return i;
        break;
      case ']':
      case '}':
        // More closers than openers: a parser has stopped at the error before this point.
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
    ++i;
  }
  return std::nullopt;
}

TextPosition text_position(std::string_view text, std::size_t offset) noexcept {
  TextPosition at;
  if (offset > text.size()) offset = text.size();
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
  }
  return at;
}

}  // namespace llmrt
