#include "llmrt/sdk/utf8.h"

#include <cstdint>
#include <cstring>

namespace llmrt {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// The first byte's continuation count and the allowed range of the second byte (WHATWG
// "UTF-8 decoder": E0 and F0 exclude overlong forms, ED surrogates, F4 code points past
// U+10FFFF). `needed` 0 with a non-ASCII byte means the byte can never start a sequence.
struct Lead {
  int needed = 0;
  unsigned char lower = 0x80;
  unsigned char upper = 0xBF;
};

Lead lead_of(unsigned char byte) noexcept {
  if (byte >= 0xC2 && byte <= 0xDF) return {1, 0x80, 0xBF};
  if (byte == 0xE0) return {2, 0xA0, 0xBF};
  if (byte == 0xED) return {2, 0x80, 0x9F};
  if (byte >= 0xE1 && byte <= 0xEF) return {2, 0x80, 0xBF};
  if (byte == 0xF0) return {3, 0x90, 0xBF};
  if (byte >= 0xF1 && byte <= 0xF3) return {3, 0x80, 0xBF};
  if (byte == 0xF4) return {3, 0x80, 0x8F};
  return {};
}

// Length of the well-formed sequence at `i`, or of the maximal ill-formed subpart there as a
// negative number.
int sequence_at(std::string_view bytes, std::size_t i) noexcept {
  const auto first = static_cast<unsigned char>(bytes[i]);
  if (first < 0x80) return 1;
  const Lead lead = lead_of(first);
  if (lead.needed == 0) return -1;
  for (int k = 1; k <= lead.needed; ++k) {
    if (i + k >= bytes.size()) return -k;
    const auto byte = static_cast<unsigned char>(bytes[i + k]);
    const unsigned char lower = k == 1 ? lead.lower : 0x80;
    const unsigned char upper = k == 1 ? lead.upper : 0xBF;
    if (byte < lower || byte > upper) return -k;
  }
  return lead.needed + 1;
}

bool ascii_word(const char* p) noexcept {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return (word & 0x8080808080808080ULL) == 0;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) noexcept {
  return valid_utf8_prefix(bytes) == bytes.size();
}

std::size_t valid_utf8_prefix(std::string_view bytes) noexcept {
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (i + 8 <= bytes.size() && ascii_word(bytes.data() + i)) {
      i += 8;
      continue;
    }
    const int length = sequence_at(bytes, i);
    if (length < 0) return i;
    i += static_cast<std::size_t>(length);
  }
  return bytes.size();
}

std::size_t leading_sequence_length(std::string_view bytes) noexcept {
  if (bytes.empty()) return 0;
  const int length = sequence_at(bytes, 0);
  return length > 0 ? static_cast<std::size_t>(length) : 0;
}

std::string repair_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  std::size_t i = 0;
  while (i < bytes.size()) {
    const int length = sequence_at(bytes, i);
    if (length > 0) {
      out.append(bytes.substr(i, static_cast<std::size_t>(length)));
      i += static_cast<std::size_t>(length);
    } else {
      out.append(kReplacement);
      i += static_cast<std::size_t>(-length);
    }
  }
  return out;
}

}  // namespace llmrt
