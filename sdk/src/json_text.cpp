#include "json_text.h"

namespace llmrt::json::text {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

constexpr std::uint32_t kReplacementCharacter = 0xFFFD;

}  // namespace

const char* decode_escaped(const char*& p, const char* end, std::string& out) {
  auto hex4 = [end](const char* q) -> long {
    if (end - q < 4) return -1;
    long v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = hex_value(q[i]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    return v;
  };
  for (;;) {
    if (p == end) return kNeverClosed;
    const char c = *p;
    if (c == '"') return nullptr;
    if (c != '\\') return "control character in a string (it must be escaped)";
    if (end - p < 2) return kNeverClosed;
    switch (p[1]) {
      case '"':
      case '\\':
      case '/':
        out += p[1];
        p += 2;
        break;
      case 'b':
        out += '\b';
        p += 2;
        break;
      case 'f':
        out += '\f';
        p += 2;
        break;
      case 'n':
        out += '\n';
        p += 2;
        break;
      case 'r':
        out += '\r';
        p += 2;
        break;
      case 't':
        out += '\t';
        p += 2;
        break;
      case 'u': {
        long cp = hex4(p + 2);
        if (cp < 0) return "invalid \\u escape (four hex digits expected)";
        p += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          // A high surrogate takes the low one that follows; alone it is U+FFFD.
          long low = end - p >= 6 && p[0] == '\\' && p[1] == 'u' ? hex4(p + 2) : -1;
          if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            p += 6;
          } else {
            cp = kReplacementCharacter;
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          cp = kReplacementCharacter;
        }
        append_utf8(out, static_cast<std::uint32_t>(cp));
        break;
      }
      default:
        return "invalid escape in a string";
    }
    const char* run = skip_plain<false>(p, end);
    out.append(p, run);
    p = run;
  }
}

const char* scan_number(const char*& p, const char* end, bool& integer) {
  auto at = [&](char c) { return p < end && *p == c; };
  auto digits = [&] {
    while (p < end && is_digit(*p)) ++p;
  };
  const char* begin = p;
  if (at('-')) ++p;
  if (at('0')) {
    ++p;
    if (p < end && is_digit(*p)) {
      p = begin;
      return "number with a leading zero";
    }
  } else if (p < end && is_digit(*p)) {
    digits();
  } else {
    return "expected a digit";
  }
  integer = true;
  if (at('.')) {
    integer = false;
    ++p;
    if (!(p < end && is_digit(*p))) return "expected a digit";
    digits();
  }
  if (at('e') || at('E')) {
    integer = false;
    ++p;
    if (at('+') || at('-')) ++p;
    if (!(p < end && is_digit(*p))) return "expected a digit";
    digits();
  }
  return nullptr;
}

}  // namespace llmrt::json::text
