#include "llmrt/sdk/snippet.h"

#include <algorithm>

namespace llmrt {

std::string snippet(std::string_view text, std::size_t max) {
  std::string out;
  out.reserve(std::min(text.size(), max));
  bool space = false;
  for (char c : text) {
    if (out.size() >= max) {
      out += "…";
      break;
    }
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace llmrt
