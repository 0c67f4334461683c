#pragma once

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace llmrt::core::tokenizer {

using Rank = std::uint32_t;
inline constexpr Rank kNoRank = 0xFFFFFFFF;

// The mergeable tokens of one encoding: byte string ↔ rank, both ways. A rank is also the
// token's id and its merge priority (lower merges first). Immutable once built, so any number
// of threads may read it.
class RankTable {
 public:
  // tiktoken's format: one "<base64 bytes> <rank>" per line. Throws Error (bad_request) naming
  // `source` and the line on anything else, a duplicate token or rank, or a missing single
  // byte (byte-level BPE must be able to spell every byte).
  static RankTable parse(std::string_view text, const std::string& source);
  // Throws Error (not_found) when the file cannot be read.
  static RankTable load(const std::filesystem::path& file);

  // kNoRank when `bytes` is not a token. Inline: BPE looks up ~3 candidates per input byte.
  Rank rank(std::string_view token) const noexcept {
    if (token.empty() || token.size() > max_length_) return kNoRank;
    const std::uint64_t hash = hash_bytes(token);
    const auto tag = static_cast<std::uint32_t>(hash >> 32);
    for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot slot = slots_[i];
      if (slot.rank == kNoRank) return kNoRank;
      if (slot.tag == tag && bytes(slot.rank) == token) return slot.rank;
    }
  }
  // Empty when `rank` names no token.
  std::string_view bytes(Rank rank) const noexcept {
    if (rank >= spans_.size()) return {};
    const Span span = spans_[rank];
    return {arena_.data() + span.begin, span.length};
  }

  std::size_t size() const noexcept { return count_; }
  Rank end_rank() const noexcept { return static_cast<Rank>(spans_.size()); }
  std::size_t max_token_length() const noexcept { return max_length_; }

 private:
  struct Span {
    std::uint32_t begin = 0;
    std::uint32_t length = 0;
  };
  struct Slot {
    Rank rank = kNoRank;
    std::uint32_t tag = 0;  // high hash bits: most mismatches never touch the arena
  };

  // Tokens are short: keys of up to 8 bytes are read with two overlapping loads, longer ones a
  // word at a time, and one 64×64→128-bit multiply mixes (as wyhash does).
  static std::uint64_t hash_bytes(std::string_view s) noexcept {
    const char* p = s.data();
    const std::size_t n = s.size();
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    if (n >= 4 && n <= 8) {
      a = load32(p);
      b = load32(p + n - 4);
    } else if (n < 4) {
      a = static_cast<unsigned char>(p[0]) |
          std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
          std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
    } else {
      std::uint64_t h = n;
      for (std::size_t i = 0; i + 8 < n; i += 8) h = mix(h ^ load64(p + i), 0x9E3779B97F4A7C15ULL);
      a = h;
      b = load64(p + n - 8);
    }
    return mix(a ^ 0xA0761D6478BD642FULL ^ n, b ^ 0xE7037ED1A0B428DBULL);
  }
  static std::uint64_t mix(std::uint64_t a, std::uint64_t b) noexcept {
    __extension__ using U128 = unsigned __int128;
    const U128 product = static_cast<U128>(a) * b;
    return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
  }
  static std::uint64_t load32(const char* p) noexcept {
    std::uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static std::uint64_t load64(const char* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }

  void index();

  std::string arena_;
  std::vector<Span> spans_;  // by rank; length 0 marks a gap
  std::vector<Slot> slots_;  // open addressing, power-of-two size, at most half full
  std::size_t mask_ = 0;
  std::size_t count_ = 0;
  std::size_t max_length_ = 0;
};

}  // namespace llmrt::core::tokenizer
