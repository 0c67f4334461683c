#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "llmrt/sdk/visibility.h"

namespace llmrt {

// UTF-8 as the Unicode Standard (§3.9) defines it: no overlong forms, no surrogates, nothing
// past U+10FFFF.

LLMRT_VISIBLE bool is_valid_utf8(std::string_view bytes) noexcept;

// The length of the longest well-formed prefix of `bytes`: the offset of the first ill-formed
// part, or bytes.size() when there is none.
LLMRT_VISIBLE std::size_t valid_utf8_prefix(std::string_view bytes) noexcept;

// The length (1 to 4) of the well-formed sequence `bytes` starts with; 0 when it starts with an
// ill-formed one or is empty.
LLMRT_VISIBLE std::size_t leading_sequence_length(std::string_view bytes) noexcept;

// Replaces each ill-formed part with U+FFFD exactly as the WHATWG Encoding Standard's UTF-8
// decoder does (one replacement per maximal subpart, Unicode §3.9 U+FFFD substitution). That
// is what a string becomes in Node (Buffer.toString, TextDecoder) and in Python
// (decode(errors="replace")): what a browser or Python would show for the bytes.
LLMRT_VISIBLE std::string repair_utf8(std::string_view bytes);

}  // namespace llmrt
