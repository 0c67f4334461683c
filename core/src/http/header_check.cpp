#include "http/header_check.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

// RFC 9110's tchar as a table: every request's method and header names pass here.
constexpr std::array<bool, 256> kTokenChars = [] {
  std::array<bool, 256> table{};
  for (std::size_t c = 0; c < table.size(); ++c) {
    table[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

bool is_token(std::string_view text) noexcept {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return kTokenChars[static_cast<unsigned char>(c)];
  });
}

[[noreturn]] void refuse(std::string_view what) {
  throw Error(ErrorKind::bad_request,
              std::string(what) +
                  " contains a CR, LF or NUL character, which no HTTP header may hold (it would "
                  "end the header and start another); nothing was sent");
}

}  // namespace

bool is_safe_header_value(std::string_view value) noexcept {
  // Not find_first_of (libstdc++'s calls memchr once per byte of the value): every request's
  // URL and header values pass here, sixteen bytes at a time where SSE2 is there. The three
  // are all below 0x0E: a block without such a byte (nearly every one) is safe at once.
  auto unsafe = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i highest_unsafe = _mm_set1_epi8(0x0D);  // CR; LF and NUL are below it
  for (; value.size() - i >= 16; i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(value.data() + i));
    const __m128i low =
        _mm_cmpeq_epi8(_mm_min_epu8(bytes, highest_unsafe), bytes);  // bytes <= 0x0D
    if (_mm_movemask_epi8(low) != 0 &&
        std::any_of(value.begin() + static_cast<std::ptrdiff_t>(i),
                    value.begin() + static_cast<std::ptrdiff_t>(i + 16), unsafe)) {
      return false;
    }
  }
#endif
  // Then eight at a time: most names and values are short. A word with no byte below 0x0E is
  // safe at once (taking 0x0E from every byte sets the top bit, clear before, of the lowest byte
  // below it); one that may hold such a byte is looked at byte by byte.
  for (; value.size() - i >= 8; i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, value.data() + i, sizeof word);
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    if (((word - 0x0E * kOnes) & ~word & (0x80 * kOnes)) != 0 &&
        std::any_of(value.begin() + static_cast<std::ptrdiff_t>(i),
                    value.begin() + static_cast<std::ptrdiff_t>(i + 8), unsafe)) {
      return false;
    }
  }
  return std::none_of(value.begin() + static_cast<std::ptrdiff_t>(i), value.end(), unsafe);
}

void require_safe_header_value(std::string_view value, std::string_view setting) {
  if (!is_safe_header_value(value)) refuse(setting);
}

void require_safe_request_head(const HttpRequest& request) {
  if (!is_token(request.method)) {
    throw Error(ErrorKind::bad_request,
                "the request method is not an HTTP token; nothing was sent");
  }
  if (!is_safe_header_value(request.url)) {
    throw Error(ErrorKind::bad_request,
                "the request URL contains a CR, LF or NUL character; nothing was sent");
  }
  for (std::size_t i = 0; i < request.headers.size(); ++i) {
    const auto& [name, value] = request.headers[i];
    if (!is_token(name)) {
      // The name itself may carry the injected text: say only where it is.
      throw Error(ErrorKind::bad_request, "request header " + std::to_string(i + 1) +
                                              " has a name that is not an HTTP token; nothing "
                                              "was sent");
    }
    if (!is_safe_header_value(value)) refuse("the value of request header '" + name + "'");
  }
}

}  // namespace llmrt::core
