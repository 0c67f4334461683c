#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "llmrt/sdk/visibility.h"

namespace llmrt {

// The first `max` bytes of a text, on one line (runs of spaces, tabs and line breaks become
// one space; "…" when cut): what an error message quotes of bytes a server sent.
LLMRT_VISIBLE std::string snippet(std::string_view text, std::size_t max = 200);

}  // namespace llmrt
