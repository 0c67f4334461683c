#include "diagnostics/error_bounds.h"

#include <utility>

namespace llmrt::core {

std::string bounded(std::string text, std::size_t max) {
  if (text.size() <= max) return text;
  // The note's own length depends on the count it gives: room for the longest one.
  const std::string longest_note = "… (" + std::to_string(text.size()) + " bytes more)";
  std::size_t keep = max > longest_note.size() ? max - longest_note.size() : 0;
  // Back to the first byte of a character: a continuation byte is 10xxxxxx, and a character
  // has at most three (in text that is not UTF-8, a longer run is cut where it falls).
  for (int back = 0;
       back < 3 && keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80; ++back) {
    --keep;
  }
  const std::size_t left_out = text.size() - keep;
  text.resize(keep);
  text += "… (" + std::to_string(left_out) + " bytes more)";
  return text;
}

ErrorInfo bounded(ErrorInfo info) {
  info.message = bounded(std::move(info.message), kMaxErrorMessageBytes);
  info.code = bounded(std::move(info.code), kMaxErrorFieldBytes);
  info.request_id = bounded(std::move(info.request_id), kMaxErrorFieldBytes);
  return info;
}

}  // namespace llmrt::core
