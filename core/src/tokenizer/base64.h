#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace llmrt::core::tokenizer {

// Standard-alphabet base64 (RFC 4648 §4) with mandatory padding, as tiktoken's rank files
// write it. Returns null on any other character, a bad length or misplaced padding.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace llmrt::core::tokenizer
