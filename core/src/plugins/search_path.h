#pragma once

#include <filesystem>
#include <vector>

namespace llmrt::core {

// The folders of a search-path variable (LLMRT_PLUGIN_PATH, LLMRT_TOKENIZER_PATH): separated by
// ':', empty entries skipped; none when the variable is unset.
std::vector<std::filesystem::path> folders_from_env(const char* variable);

// `folders` in order with each folder once, however it was reached (a build tree inside the
// install prefix, "lib/../share").
std::vector<std::filesystem::path> unique_folders(
    const std::vector<std::filesystem::path>& folders);

}  // namespace llmrt::core
