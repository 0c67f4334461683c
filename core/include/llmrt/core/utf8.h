#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace llmrt::core {

// UTF-8 as the Unicode Standard (§3.9) defines it: no overlong forms, no surrogates, nothing
// past U+10FFFF. A JSON text must be UTF-8 (RFC 8259 §8.1), so llmrt checks what it sends and
// repairs what it writes.

// The offset of the first byte of the first ill-formed sequence in `text`; nullopt when the
// whole text is well-formed.
std::optional<std::size_t> find_invalid_utf8(std::string_view text) noexcept;

// The length (1 to 4) of the well-formed sequence `text` starts with; 0 when it starts with an
// ill-formed one or is empty.
std::size_t utf8_sequence_length(std::string_view text) noexcept;

// `text` with each ill-formed part replaced by U+FFFD, one per maximal subpart (the WHATWG
// decoder's rule, and the tokenizer's): what a browser or Python would show for the bytes.
std::string repair_utf8(std::string_view text);

}  // namespace llmrt::core
