#include "tokenizer/rank_table.h"

#include <bit>
#include <charconv>
#include <fstream>
#include <sstream>

#include "llmrt/sdk/error.h"
#include "tokenizer/base64.h"

namespace llmrt::core::tokenizer {
namespace {

[[noreturn]] void fail(const std::string& source, std::size_t line, const std::string& what) {
  throw Error(ErrorKind::bad_request, source + ":" + std::to_string(line) + ": " + what +
                                          " (a tiktoken rank file has "
                                          "one \"<base64 token> <rank>\" per line)");
}

}  // namespace

RankTable RankTable::parse(std::string_view text, const std::string& source) {
  RankTable table;
  table.arena_.reserve(text.size() / 2);
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;  // tiktoken skips blank lines too

    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) fail(source, line_number, "no space before the rank");
    const std::string_view rank_text = line.substr(space + 1);
    Rank rank = 0;
    const auto [rest, ec] =
        std::from_chars(rank_text.data(), rank_text.data() + rank_text.size(), rank);
    if (ec != std::errc{} || rest != rank_text.data() + rank_text.size() || rank == kNoRank) {
      fail(source, line_number, "the rank \"" + std::string(rank_text) + "\" is not a number");
    }
    const auto token = decode_base64(line.substr(0, space));
    if (!token || token->empty()) {
      // Not `"\"" + std::string(…)`: GCC 12 at -O3 reports a false -Wrestrict for a one-character
      // literal prepended to a temporary string.
      std::string quoted(1, '"');
      quoted += line.substr(0, space);
      fail(source, line_number, quoted + "\" is not base64");
    }
    if (rank >= table.spans_.size()) table.spans_.resize(std::size_t{rank} + 1);
    if (table.spans_[rank].length != 0) {
      fail(source, line_number, "rank " + std::to_string(rank) + " appears twice");
    }
    table.spans_[rank] = {static_cast<std::uint32_t>(table.arena_.size()),
                          static_cast<std::uint32_t>(token->size())};
    table.arena_ += *token;
    table.max_length_ = std::max(table.max_length_, token->size());
    ++table.count_;
  }

  table.index();
  for (Rank r = 0; r < table.end_rank(); ++r) {
    const std::string_view token = table.bytes(r);
    if (!token.empty() && table.rank(token) != r) {
      throw Error(ErrorKind::bad_request,
                  source + ": the token of rank " + std::to_string(r) + " also has rank " +
                      std::to_string(table.rank(token)) + " (a token may appear only once)");
    }
  }
  for (int byte = 0; byte < 256; ++byte) {
    const char c = static_cast<char>(byte);
    if (table.rank(std::string_view(&c, 1)) == kNoRank) {
      throw Error(ErrorKind::bad_request, source + ": no token for the single byte " +
                                              std::to_string(byte) +
                                              " (byte-level BPE needs all 256)");
    }
  }
  return table;
}

RankTable RankTable::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorKind::not_found, file.string() + ": cannot read the rank file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.view(), file.string());
}

void RankTable::index() {
  slots_.assign(std::bit_ceil(std::max<std::size_t>(count_ * 2, 16)), Slot{});
  mask_ = slots_.size() - 1;
  for (Rank r = 0; r < end_rank(); ++r) {
    const std::string_view token = bytes(r);
    if (token.empty()) continue;
    const std::uint64_t hash = hash_bytes(token);
    const auto tag = static_cast<std::uint32_t>(hash >> 32);
    for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (slot.rank == kNoRank) {
        slot = {r, tag};
        break;
      }
      // A duplicate token keeps its first (lowest) rank; parse() reports it.
      if (slot.tag == tag && bytes(slot.rank) == token) break;
    }
  }
}

}  // namespace llmrt::core::tokenizer
