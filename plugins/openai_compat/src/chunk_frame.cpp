#include "llmrt/plugins/openai_compat/chunk_frame.h"

namespace llmrt::plugins::openai_compat {

void ChunkFrame::keep(std::string_view chunk, const std::vector<Hole>& holes, std::size_t content) {
  bytes_.clear();
  cuts_.clear();
  std::size_t at = 0;
  for (const Hole& hole : holes) {
    bytes_.append(chunk.substr(at, hole.begin - at));
    cuts_.push_back(bytes_.size());
    at = hole.end;
  }
  bytes_.append(chunk.substr(at));
  content_ = content;
  kept_ = true;
}

bool ChunkFrame::match(std::string_view chunk, json::Scanner& scanner, std::string& content) const {
  if (!kept_ || chunk.size() > json::ParseLimits{}.max_bytes) return false;
  const std::string_view kept = bytes_;
  std::size_t at = 0;    // in chunk
  std::size_t from = 0;  // in kept
  for (std::size_t hole = 0; hole < cuts_.size(); ++hole) {
    const std::string_view piece = kept.substr(from, cuts_[hole] - from);
    if (chunk.substr(at, piece.size()) != piece) return false;
    at += piece.size();
    from = cuts_[hole];
    // Exactly one string, from its opening quote: whitespace would not match the next piece.
    if (at == chunk.size() || chunk[at] != '"') return false;
    scanner.reset(chunk.substr(at));
    const std::optional<std::string_view> text = scanner.string();
    if (!text) return false;
    if (hole == content_) content.assign(*text);
    at += scanner.offset();
  }
  return chunk.substr(at) == kept.substr(from);
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
