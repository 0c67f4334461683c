#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace llmrt::core {

// Cuts streamed text at the first occurrence of any stop word, wherever chunk boundaries fall.
// Text that could still turn into a stop word is held back until it is decided, so what is
// released never contains (or passes) a stop word. Cost is linear in the text: each push
// looks only at the held-back tail and the new piece.
class StopWordFilter {
 public:
  explicit StopWordFilter(std::vector<std::string> stop_words);

  // Appends the text that is safe to release now to `out`. Returns true when a stop word
  // completed: the text before it has been released and the stream must end.
  bool push(std::string_view text, std::string& out);
  // End of stream: releases what is held back (cut at a stop word if one lies in it).
  // Returns true when that cut happened.
  bool finish(std::string& out);

  // Held back, not yet released.
  const std::string& pending() const noexcept { return pending_; }
  bool active() const noexcept { return !stop_words_.empty(); }

 private:
  bool release(std::string& out, bool at_end);

  std::vector<std::string> stop_words_;
  std::string pending_;
  bool stopped_ = false;
};

// The text up to the first occurrence of any stop word; npos when none occurs.
std::size_t find_first_stop(std::string_view text, const std::vector<std::string>& stop_words);

}  // namespace llmrt::core
