#pragma once

#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/json.h"
#include "llmrt/sdk/json_scanner.h"

namespace llmrt::plugins::openai_compat {

// A `usage` object: the three counts, and where given the cached prompt tokens
// (`prompt_tokens_details.cached_tokens`) and the reasoning tokens
// (`completion_tokens_details.reasoning_tokens`). Counts that are not non-negative integers
// are 0, as json::Value::as_count reads them.
Usage read_usage(const llmrt::json::Value& usage);

// The same from a scanner standing at a usage object, into a default `usage` (the last of a
// repeated member wins, as the tree's lookups read); false when the scanner fails.
bool read_usage(llmrt::json::Scanner& s, Usage& usage);

}  // namespace llmrt::plugins::openai_compat
