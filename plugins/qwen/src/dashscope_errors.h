#pragma once

#include "llmrt/sdk/error.h"
#include "llmrt/sdk/error_table.h"
#include "llmrt/sdk/http.h"
#include "llmrt/sdk/json.h"

namespace llmrt::plugins::qwen {

// DashScope's error codes (shared/wire/dashscope.md), then the OpenAI-style rules its
// compatible mode also sends.
extern const ErrorTable kDashScopeErrors;

// Classifies a DashScope error response in either protocol: the native `{code, message,
// request_id}` body or the compatible mode's OpenAI-shaped `{"error":{…}}` with DashScope codes.
ErrorInfo classify_error(const HttpResponse& response);

// The ErrorInfo of a native error object ({code, message, request_id}), as found in an
// `event:error` of a stream (http_status 0) or a 2xx body: a code no rule knows is a server
// error.
ErrorInfo error_from_native(const llmrt::json::Value& object, int http_status);

}  // namespace llmrt::plugins::qwen
