#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/sdk/json_scanner.h"

namespace llmrt::plugins::openai_compat {

// A stream chunk's bytes with holes where string values stood that do not change how the chunk
// reads — its content, and the members a reader skips whatever they hold (id, model, a
// per-chunk "obfuscation" padding) — so that the next chunk, mostly the same bytes around
// other strings, is recognised by comparing bytes and scanning only the strings in the holes.
// Putting one JSON string where another stood keeps the text valid JSON of the same shape,
// so a chunk that matches reads like the one kept, with the content hole's string as content.
// A skipped string mostly holds what it held in the kept chunk (a stream's id and model): the
// same bytes are compared, not scanned — all the bytes before the content and all after it in
// one comparison each while the stream's chunks differ in their content alone.
class ChunkFrame {
 public:
  struct Hole {
    std::size_t begin = 0;  // a string's opening quote in the chunk
    std::size_t end = 0;    // just past its closing quote
  };

  // Keeps `chunk` with `holes` (in order, none overlapping) cut out; holes[content] is where
  // the chunk's content stands.
  void keep(std::string_view chunk, const std::vector<Hole>& holes, std::size_t content);
  void clear() noexcept { kept_ = false; }
  bool kept() const noexcept { return kept_; }
  std::size_t holes() const noexcept { return cuts_.size(); }

  // Whether `chunk` is the kept bytes with one JSON string in each hole; if so, `content` is
  // the content hole's string, decoded: a view into `chunk` or `scanner`, valid until either
  // changes.
  bool match(std::string_view chunk, json::Scanner& scanner, std::string_view& content);

  // The length of the chunk at the start of `text` when it is the kept bytes around another
  // string in the content hole, while the stream's chunks have differed in their content alone
  // (as match() would read it, `content` too); 0 otherwise. What follows the chunk is not looked
  // at. Only for a frame of one line (kept from data with no line break: an event's data that
  // spanned data lines holds one), so that a chunk it finds in the bytes is one line too.
  std::size_t match_front(std::string_view text, json::Scanner& scanner,
                          std::string_view& content) const;

  // The kept bytes with `fill[i]` in hole i (an empty string where `fill` has none): the chunk
  // that would match, for tests.
  std::string filled(const std::vector<std::string>& fill) const;

 private:
  // The kept chunk's bytes before and after its content string, and a string there, at the
  // start of `text`: the length they take, or 0.
  std::size_t around_length(std::string_view text, json::Scanner& scanner,
                            std::string_view& content) const;
  bool match_holes(std::string_view chunk, json::Scanner& scanner, std::string_view& content) const;

  std::string before_;             // the kept chunk up to its content's opening quote
  std::string after_;              // and from just past its closing quote
  bool same_around_ = false;       // no chunk has matched with other strings in the holes yet
  bool one_line_ = false;          // before_ and after_ hold no CR or LF
  std::string bytes_;              // the chunk kept, without its holes
  std::vector<std::size_t> cuts_;  // where each hole stood in bytes_
  // Each hole's string as the kept chunk had it, quotes included (the content's too, unused).
  std::vector<std::string> values_;
  std::size_t content_ = 0;
  bool kept_ = false;
};

}  // namespace llmrt::plugins::openai_compat
