#pragma once

#include <cstdint>
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

  // kNoRank when `bytes` is not a token.
  Rank rank(std::string_view bytes) const noexcept;
  // Empty when `rank` names no token.
  std::string_view bytes(Rank rank) const noexcept;

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

  void index();
  const Slot* find_slot(std::string_view bytes, std::uint64_t hash) const noexcept;

  std::string arena_;
  std::vector<Span> spans_;  // by rank; length 0 marks a gap
  std::vector<Slot> slots_;  // open addressing, power-of-two size, at most half full
  std::size_t count_ = 0;
  std::size_t max_length_ = 0;
};

}  // namespace llmrt::core::tokenizer
