#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace llmrt::plugins::openai_compat {

// The first `max` bytes of a text for an error message, on one line.
std::string snippet(std::string_view text, std::size_t max = 200);

}  // namespace llmrt::plugins::openai_compat
