#pragma once

#include <filesystem>
#include <string_view>

namespace llmrt::core::tokenizer {

// The first <encoding>.tiktoken in tokenizer_search_path(). Throws Error (not_found) listing
// every folder it looked in and how to provide the file.
std::filesystem::path find_rank_file(std::string_view encoding);

}  // namespace llmrt::core::tokenizer
