#pragma once

#include <string>
#include <string_view>

namespace llmrt::core::tokenizer {

bool is_valid_utf8(std::string_view bytes) noexcept;

// Replaces each ill-formed part with U+FFFD exactly as the WHATWG Encoding Standard's UTF-8
// decoder does (one replacement per maximal subpart, Unicode §3.9 U+FFFD substitution). That
// is what a string becomes in Node (Buffer.toString, TextDecoder) and in Python
// (decode(errors="replace")), so the text tiktoken's own bindings receive from the same bytes.
std::string repair_utf8(std::string_view bytes);

}  // namespace llmrt::core::tokenizer
