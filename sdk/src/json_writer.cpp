#include "llmrt/sdk/json_writer.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "llmrt/sdk/error.h"

namespace llmrt::json {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";
constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";  // U+FFFD

// The length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates,
// nothing past U+10FFFF) that starts `text`, whose first byte is 0x80 or above; 0 when there
// is none.
std::size_t utf8_sequence(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  unsigned char low = 0x80;  // the range of the second byte, narrower after some leads
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

bool is_plain_ascii(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

#if defined(__SSE2__)
// One bit for each of the sixteen bytes at `p` that is not written as it is: a control byte,
// '"', '\\', or a byte from 0x80 up (its high bit is its sign: movemask finds those directly).
[[gnu::always_inline]] inline unsigned stop_bits(const char* p) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i space_minus_one = _mm_set1_epi8(0x1F);
  const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(bytes, space_minus_one), space_minus_one);
  const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('"')),
                                                 _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'))),
                                    control);
  return static_cast<unsigned>(_mm_movemask_epi8(stop) | _mm_movemask_epi8(bytes));
}
#endif

// How many bytes from `p` are written as they are without a look: printable ASCII other than
// '"' and '\\' (keys, and most of a prompt's text), sixteen at a time where SSE2 is there.
std::size_t plain_ascii_run(const char* p, std::size_t n) {
  std::size_t i = 0;
#if defined(__SSE2__)
  for (; n - i >= 16; i += 16) {
    if (const unsigned mask = stop_bits(p + i); mask != 0) {
      return i + static_cast<std::size_t>(__builtin_ctz(mask));
    }
  }
#endif
  while (i < n && is_plain_ascii(static_cast<unsigned char>(p[i]))) ++i;
  return i;
}

// Whether the `n` bytes at `p` are all plain, where the buffer holds whole sixteen-byte blocks
// past them: the bytes after the n-th are read and not counted, so a short key is one look.
bool plain_in_padded(const char* p, std::size_t n) {
#if defined(__SSE2__)
  for (std::size_t i = 0; i < n; i += 16) {
    unsigned mask = stop_bits(p + i);
    if (const std::size_t left = n - i; left < 16) mask &= (1U << left) - 1;
    if (mask != 0) return false;
  }
  return true;
#else
  return plain_ascii_run(p, n) == n;
#endif
}

// `before`, then `text` in quotes, then `after` ('\0': none), in one append: for the short plain
// keys and values most of a body is. The text is copied first and checked in the copy, whose
// buffer has room for whole blocks.
bool append_short_plain(std::string& out, char before, std::string_view text, char after) {
  constexpr std::size_t kMostText = 60;
  if (text.size() > kMostText) return false;
  // At most two bytes before the text, then the text and what is left of its last block (read,
  // not counted). Zeroed: no byte is read before it is written.
  char piece[2 + kMostText + 16] = {};
  static_assert(sizeof piece >= 2 + (kMostText + 15) / 16 * 16, "room for the last block");
  std::size_t k = 0;
  if (before != '\0') piece[k++] = before;
  piece[k++] = '"';
  const std::size_t copied = text.copy(piece + k, text.size());  // not memcpy: data() may be null
  if (!plain_in_padded(piece + k, copied)) return false;
  k += copied;
  piece[k++] = '"';
  if (after != '\0') piece[k++] = after;
  out.append(piece, k);
  return true;
}

void append_escaped(std::string& out, std::string_view text) {
  if (append_short_plain(out, '\0', text, '\0')) return;
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  std::size_t i = 0;
  while (i < text.size()) {
    i += plain_ascii_run(text.data() + i, text.size() - i);
    if (i == text.size()) break;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      if (std::size_t n = utf8_sequence(text.substr(i)); n != 0) {
        i += n;
        continue;
      }
    }
    out.append(text, run, i - run);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
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
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += kReplacementUtf8;
        }
    }
    run = ++i;
  }
  out.append(text, run, text.size() - run);
  out += '"';
}

// The shortest digits that read back as `d` (finite, positive), laid out as JavaScript and
// RapidJSON do: plain decimals from 1e-6 up to 1e21 (whole ones with ".0", so the text still
// reads as a floating-point number), otherwise an exponent ("1e-7", "1.5e300").
void append_double(std::string& out, double d) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d, std::chars_format::scientific);
  (void)ec;  // 32 bytes hold any double
  const std::string_view sci(buffer, static_cast<std::size_t>(end - buffer));  // "d.ddde±XX"
  const std::size_t e = sci.find('e');
  std::string digits(sci.substr(0, e));
  if (digits.size() > 1) digits.erase(1, 1);  // drop the point
  int exponent = 0;
  std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exponent);
  const int n = static_cast<int>(digits.size());
  const int point = exponent + 1;  // digits before the decimal point
  if (point >= n && point <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(point - n), '0');
    out += ".0";
  } else if (point > 0 && point <= 21) {
    out.append(digits, 0, static_cast<std::size_t>(point));
    out += '.';
    out.append(digits, static_cast<std::size_t>(point));
  } else if (point > -6 && point <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-point), '0');
    out += digits;
  } else {
    out += digits[0];
    if (n > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    out += std::to_string(exponent);
  }
}

}  // namespace

void JsonWriter::before_value() {
  if (open_.empty()) {
    if (!out_.empty()) throw std::logic_error("JsonWriter: a second top-level value");
    return;
  }
  if (open_.back() == '{') {
    if (!after_key_) throw std::logic_error("JsonWriter: a value in an object without a key");
    after_key_ = false;
  } else if (need_comma_) {
    out_ += ',';
  }
  need_comma_ = true;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  if (open_.empty() || open_.back() != '{' || after_key_) {
    throw std::logic_error("JsonWriter: key '" + std::string(name) + "' outside an object");
  }
  key_at_ = out_.size() + (need_comma_ ? 1 : 0);
  if (!append_short_plain(out_, need_comma_ ? ',' : '\0', name, ':')) {
    if (need_comma_) out_ += ',';
    append_escaped(out_, name);
    out_ += ':';
  }
  after_key_ = true;
  return *this;
}

void JsonWriter::push_open(char opener) {
  // Room for a usual depth at once: one allocation per writer, not one per doubling.
  if (open_.capacity() == 0) open_.reserve(16);
  open_.push_back(opener);
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  push_open('{');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  push_open('[');
  need_comma_ = false;
  return *this;
}

void JsonWriter::end(char closer) {
  const char opener = closer == '}' ? '{' : '[';
  if (open_.empty() || open_.back() != opener || after_key_) {
    throw std::logic_error(std::string("JsonWriter: '") + closer + "' does not close an open " +
                           (opener == '{' ? "object" : "array") +
                           (after_key_ ? " (a key has no value)" : ""));
  }
  open_.pop_back();
  out_ += closer;
  need_comma_ = true;
}

JsonWriter& JsonWriter::end_object() {
  end('}');
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  end(']');
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
  before_value();
  append_escaped(out_, text);
  return *this;
}

JsonWriter& JsonWriter::number(long long n) {
  before_value();
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, n);
  out_.append(buffer, end);
  return *this;
}

JsonWriter& JsonWriter::number(unsigned long long n) {
  before_value();
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, n);
  out_.append(buffer, end);
  return *this;
}

JsonWriter& JsonWriter::number(double d) {
  if (!std::isfinite(d)) {
    std::string what = std::isnan(d) ? "NaN" : d > 0 ? "infinity" : "-infinity";
    // The key as written: between its quotes, before the colon that ends out_.
    std::string where =
        !open_.empty() && open_.back() == '{' && after_key_
            ? " (the value of '" + out_.substr(key_at_ + 1, out_.size() - key_at_ - 3) + "')"
            : std::string();
    throw Error(ErrorKind::bad_request, "cannot write " + what + " as a JSON number" + where);
  }
  before_value();
  if (std::signbit(d)) {
    out_ += '-';
    d = -d;
  }
  if (d == 0) {
    out_ += "0.0";
  } else {
    append_double(out_, d);
  }
  return *this;
}

JsonWriter& JsonWriter::boolean(bool b) {
  before_value();
  out_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  before_value();
  out_ += json;
  return *this;
}

std::string JsonWriter::take() {
  if (!open_.empty()) throw std::logic_error("JsonWriter: take() with an array or object open");
  std::string text = std::move(out_);
  out_.clear();
  need_comma_ = false;
  after_key_ = false;
  return text;
}

}  // namespace llmrt::json
