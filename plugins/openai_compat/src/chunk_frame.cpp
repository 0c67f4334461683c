#include "llmrt/plugins/openai_compat/chunk_frame.h"

#include <algorithm>

namespace llmrt::plugins::openai_compat {

void ChunkFrame::keep(std::string_view chunk, const std::vector<Hole>& holes, std::size_t content) {
  bytes_.clear();
  cuts_.clear();
  values_.resize(holes.size());
  std::size_t at = 0;
  for (std::size_t i = 0; i < holes.size(); ++i) {
    const Hole& hole = holes[i];
    bytes_.append(chunk.substr(at, hole.begin - at));
    cuts_.push_back(bytes_.size());
    values_[i].assign(chunk.substr(hole.begin, hole.end - hole.begin));
    at = hole.end;
  }
  bytes_.append(chunk.substr(at));
  content_ = content;
  before_.assign(chunk.substr(0, holes[content].begin));
  after_.assign(chunk.substr(holes[content].end));
  same_around_ = true;
  one_line_ = before_.find_first_of("\r\n") == std::string::npos &&
              after_.find_first_of("\r\n") == std::string::npos;
  kept_ = true;
}

bool ChunkFrame::match(std::string_view chunk, json::Scanner& scanner, std::string_view& content) {
  if (!kept_ || chunk.size() > json::ParseLimits{}.max_bytes) return false;
  if (same_around_) {
    const std::size_t length = around_length(chunk, scanner, content);
    if (length != 0 && length == chunk.size()) return true;
  }
  if (!match_holes(chunk, scanner, content)) return false;
  same_around_ = false;  // the skipped strings vary in this stream: hole by hole from now on
  return true;
}

std::size_t ChunkFrame::match_front(std::string_view text, json::Scanner& scanner,
                                    std::string_view& content) const {
  return kept_ && same_around_ && one_line_ ? around_length(text, scanner, content) : 0;
}

std::size_t ChunkFrame::around_length(std::string_view text, json::Scanner& scanner,
                                      std::string_view& content) const {
  text = text.substr(0, std::min(text.size(), json::ParseLimits{}.max_bytes));  // a chunk's limit
  if (text.size() < before_.size() + 2 + after_.size()) return 0;
  if (std::string_view(text.data(), before_.size()) != before_ || text[before_.size()] != '"') {
    return 0;
  }
  // Scanned with what follows behind it: a short string then lies in a block the scanner
  // reads whole, not byte by byte.
  scanner.reset(std::string_view(text.data() + before_.size(), text.size() - before_.size()));
  const std::optional<std::string_view> string = scanner.string();
  if (!string) return 0;
  const std::size_t string_end = before_.size() + scanner.offset();
  const std::size_t length = string_end + after_.size();
  if (length > text.size() || std::string_view(text.data() + string_end, after_.size()) != after_) {
    return 0;
  }
  content = *string;
  return length;
}

bool ChunkFrame::match_holes(std::string_view chunk, json::Scanner& scanner,
                             std::string_view& content) const {
  const std::string_view kept = bytes_;
  std::size_t at = 0;    // in chunk
  std::size_t from = 0;  // in kept
  std::size_t content_at = 0;
  for (std::size_t hole = 0; hole < cuts_.size(); ++hole) {
    const std::string_view piece = kept.substr(from, cuts_[hole] - from);
    if (chunk.substr(at, piece.size()) != piece) return false;
    at += piece.size();
    from = cuts_[hole];
    // Exactly one string, from its opening quote: whitespace would not match the next piece.
    if (at == chunk.size() || chunk[at] != '"') return false;
    if (hole == content_) {
      content_at = at;
    } else {
      // The kept string's bytes end at its closing quote: the same bytes are the same string.
      const std::string_view was = values_[hole];
      if (chunk.substr(at, was.size()) == was) {
        at += was.size();
        continue;
      }
    }
    scanner.reset(chunk.substr(at));
    const std::optional<std::string_view> text = scanner.string();
    if (!text) return false;
    at += scanner.offset();
  }
  if (chunk.substr(at) != kept.substr(from)) return false;
  // Read again: a later hole's escaped string would have overwritten the scanner's buffer.
  scanner.reset(chunk.substr(content_at));
  content = scanner.string().value_or(std::string_view());
  return true;
}

std::string ChunkFrame::filled(const std::vector<std::string>& fill) const {
  std::string out;
  std::size_t from = 0;
  for (std::size_t hole = 0; hole < cuts_.size(); ++hole) {
    out.append(bytes_, from, cuts_[hole] - from);
    out += hole < fill.size() ? fill[hole] : std::string(R"("")");
    from = cuts_[hole];
  }
  out.append(bytes_, from);
  return out;
}

}  // namespace llmrt::plugins::openai_compat
