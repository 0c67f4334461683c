#pragma once

#include <string_view>

namespace llmrt::test {

// Whether `part` occurs in `text` (stderr lines, output files, messages).
inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace llmrt::test
