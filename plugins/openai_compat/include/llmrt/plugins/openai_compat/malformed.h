#pragma once

// Saying what was wrong with bytes a server sent, the same way in every plugin.

#include <cstddef>
#include <string>
#include <string_view>

#include "llmrt/sdk/json.h"
#include "llmrt/sdk/snippet.h"

namespace llmrt::plugins::openai_compat {

// Parses `text` into `doc` (reusing its memory) and returns the root object. Throws Error
// (protocol) "malformed <what> (<why>): '<the text's start>'" when it is not JSON or not an
// object.
llmrt::json::Value parse_object(llmrt::json::Document& doc, std::string_view text,
                                std::string_view what);

}  // namespace llmrt::plugins::openai_compat
