#pragma once

#include <cstdint>
#include <string>

#include "llmrt/sdk/json_scanner.h"

namespace llmrt::plugins::openai_compat {

// Reads both one-pass readers (ChunkReader, read_completion) share, each as the tree's lookups
// read the same member. All return false only when the scanner fails.

// The string that comes next into `to`; a value of another type reads as absent: "".
void read_string_or_empty(llmrt::json::Scanner& s, std::string& to);

// A tool call's "index": `if_null` for null, the number when it is a 64-bit integer; false for
// anything else too (2^63, 1.5, "0": the tree path says what is wrong).
bool read_tool_index(llmrt::json::Scanner& s, std::int64_t if_null, std::int64_t& index);

// A tool call's "function" member: its "name" and "arguments" ("" for a value that is no
// object, or a member of another type).
bool read_function(llmrt::json::Scanner& s, std::string& name, std::string& arguments);

}  // namespace llmrt::plugins::openai_compat
