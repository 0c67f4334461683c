#include "terminal_text.h"

#include <cstdint>
#include <cstdio>

#include "llmrt/core/utf8.h"
#include "llmrt/sdk/error.h"

namespace llmrt::cli {
namespace {

void append_hex(std::string& out, const char* format, unsigned value) {
  char escape[8];
  std::snprintf(escape, sizeof escape, format, value);
  out += escape;
}

// The code point of the well-formed UTF-8 sequence `s` (2 to 4 bytes).
std::uint32_t code_point(std::string_view s) {
  std::uint32_t c = static_cast<unsigned char>(s[0]) & (0x7F >> s.size());
  for (std::size_t k = 1; k < s.size(); ++k)
    c = (c << 6) | (static_cast<unsigned char>(s[k]) & 0x3F);
  return c;
}

// C1 controls (U+0080–U+009F: CSI is U+009B) and the invisible characters that reorder or
// hide text on a terminal (bidirectional embeddings, overrides and isolates, line and
// paragraph separators).
bool is_unsafe(std::uint32_t c) {
  return (c >= 0x80 && c <= 0x9F) || (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const auto byte = static_cast<unsigned char>(text[0]);
    if (byte >= 0x20 && byte < 0x7F) {
      out += text[0];
      text.remove_prefix(1);
      continue;
    }
    if (byte < 0x80) {
      switch (byte) {
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          append_hex(out, "\\x%02x", byte);
      }
      text.remove_prefix(1);
      continue;
    }
    const std::size_t length = core::utf8_sequence_length(text);
    if (length == 0) {
      append_hex(out, "\\x%02x", byte);
      text.remove_prefix(1);
      continue;
    }
    const std::uint32_t c = code_point(text.substr(0, length));
    if (is_unsafe(c)) {
      append_hex(out, "\\u%04x", c);
    } else {
      out.append(text.substr(0, length));
    }
    text.remove_prefix(length);
  }
  return out;
}

std::string printable(const Error& error) { return printable(describe(error.info())); }

}  // namespace llmrt::cli
