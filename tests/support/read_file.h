#pragma once

#include <fstream>
#include <iterator>
#include <string>

namespace llmrt::test {

// The whole content of the file at `path` (output files, logs); empty when it cannot be read.
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace llmrt::test
