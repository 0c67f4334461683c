#pragma once

#include <string>

#include "llmrt/sdk/error.h"
#include "llmrt/sdk/json.h"

namespace llmrt::plugins::openai_compat {

// Azure OpenAI's content-filter results, {"hate": {"filtered": true, "severity": "high"},
// "jailbreak": {"filtered": true, "detected": true}, …}: the categories that were filtered, as
// "hate (high), jailbreak (detected)"; empty when none was. Bounded: a server may send any
// number of categories with names of any length.
std::string filtered_categories(const llmrt::json::Value& results);

// When `error` (the object under "error") is Azure's content-filter refusal — a 400 with code
// "content_filter" whose innererror (code "ResponsibleAIPolicyViolation") carries
// content_filter_result — appends the filtered categories to info.message: Azure's own message
// does not say which policy the prompt triggered.
void name_filtered_categories(const llmrt::json::Value& error, ErrorInfo& info);

}  // namespace llmrt::plugins::openai_compat
