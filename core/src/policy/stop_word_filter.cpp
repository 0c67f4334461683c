#include "llmrt/core/stop_word_filter.h"

#include <algorithm>

namespace llmrt::core {

std::size_t find_first_stop(std::string_view text, const std::vector<std::string>& stop_words) {
  std::size_t first = std::string_view::npos;
  for (const std::string& word : stop_words) {
    if (word.empty()) continue;
    std::size_t at = text.find(word);
    if (at < first) first = at;
  }
  return first;
}

StopWordFilter::StopWordFilter(std::vector<std::string> stop_words) {
  for (std::string& w : stop_words) {
    if (!w.empty()) stop_words_.push_back(std::move(w));
  }
}

bool StopWordFilter::push(std::string_view text, std::string& out) {
  if (stopped_) return true;
  if (stop_words_.empty()) {
    out.append(text);
    return false;
  }
  pending_.append(text);
  return release(out, false);
}

bool StopWordFilter::finish(std::string& out) {
  if (stopped_) return true;
  return release(out, true);
}

// pending_ holds no released text and is never longer than the longest stop word plus the last
// piece, so each call costs O(|piece| + longest stop word) per stop word.
bool StopWordFilter::release(std::string& out, bool at_end) {
  std::size_t stop_at = find_first_stop(pending_, stop_words_);
  // The earliest start of a stop word that the next pieces could still complete.
  std::size_t undecided = pending_.size();
  if (!at_end) {
    for (const std::string& word : stop_words_) {
      std::size_t longest = std::min(word.size() - 1, pending_.size());
      for (std::size_t len = longest; len > 0; --len) {
        std::size_t start = pending_.size() - len;
        if (start >= undecided) break;
        if (std::string_view(pending_).substr(start) == std::string_view(word).substr(0, len)) {
          undecided = start;
          break;
        }
      }
    }
  }
  if (stop_at != std::string::npos && stop_at <= undecided) {
    out.append(pending_, 0, stop_at);
    pending_.clear();
    stopped_ = true;
    return true;
  }
  std::size_t safe = std::min(undecided, stop_at);
  out.append(pending_, 0, safe);
  pending_.erase(0, safe);
  return false;
}

}  // namespace llmrt::core
