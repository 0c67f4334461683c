#pragma once

// The lexical pieces of JSON that json::Document's parser and json::Scanner share, so that the
// two read every string and number alike: which bytes end a run of plain string bytes, how
// escapes decode, what a number looks like and when it is a 64-bit integer.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace llmrt::json::text {

// The first byte at or after `p` that ends a run of plain string bytes: a quote, a backslash, a
// control character, or `end`. Sixteen (SSE2) or eight bytes at a time. With kPadded the text
// is followed by at least 16 readable bytes (json_tree.h's kScanPadding), so a block that
// starts before `end` may be read whole; without it, whole blocks are read only while they fit
// and the tail goes a byte at a time.
template <bool kPadded>
[[gnu::always_inline]] inline const char* skip_plain(const char* p, const char* end) {
  auto plain = [](unsigned char c) { return c != '"' && c != '\\' && c >= 0x20; };
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space_minus_one = _mm_set1_epi8(0x1F);
  while (kPadded ? p < end : end - p >= 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(bytes, space_minus_one), space_minus_one);
    const __m128i stop = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)), control);
    if (const int mask = _mm_movemask_epi8(stop); mask != 0) {
      p += __builtin_ctz(static_cast<unsigned>(mask));
      return p < end ? p : end;
    }
    p += 16;
  }
  if (kPadded) return end;
#else
  // Eight bytes at a time in a word.
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHigh = 0x8080808080808080ull;
  // The high bit of each byte below `limit` (<= 0x80); exact in the lowest such byte, which is
  // all that is used.
  auto below = [](std::uint64_t w, std::uint64_t limit) {
    return (w - kOnes * limit) & ~w & kHigh;
  };
  while (kPadded ? p < end : end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    const std::uint64_t stop =
        below(w ^ (kOnes * '"'), 1) | below(w ^ (kOnes * '\\'), 1) | below(w, 0x20);
    if (stop != 0) {
      // Little-endian: the lowest flagged byte comes first. Big-endian goes byte by byte.
      if constexpr (std::endian::native == std::endian::little) {
        p += __builtin_ctzll(stop) / 8;
        return p < end ? p : end;
      }
      for (int i = 0; i < 8 && p < end && plain(static_cast<unsigned char>(*p)); ++i) ++p;
      return p < end ? p : end;
    }
    p += 8;
  }
  if (kPadded) return end;
#endif
  while (p < end && plain(static_cast<unsigned char>(*p))) ++p;
  return p;
}

// Decodes the rest of a string, from `p` (its first byte that is not plain) to its closing
// quote, appending to `out`. On success `p` is at the closing quote and the result is null;
// otherwise the result says what is wrong and `p` is where (kNeverClosed: the text ended).
// A lone surrogate becomes U+FFFD (see json.h).
const char* decode_escaped(const char*& p, const char* end, std::string& out);
inline constexpr const char* kNeverClosed = "string never closed";

// -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? starting at `p`. On success `p` is
// past it, `integer` says whether it had neither fraction nor exponent, and the result is null;
// otherwise the result says what is wrong and `p` is where.
const char* scan_number(const char*& p, const char* end, bool& integer);

// A number's text (valid JSON) as a whole 64-bit integer, as json::Value::as_int64 reads it.
std::optional<long long> number_as_int64(std::string_view raw, bool integer) noexcept;

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_whitespace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

}  // namespace llmrt::json::text
