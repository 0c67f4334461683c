#pragma once

#include <optional>
#include <string_view>

#include "llmrt/sdk/error.h"
#include "llmrt/sdk/http.h"
#include "llmrt/sdk/json.h"

namespace llmrt::plugins::qwen {

// The kind of a DashScope error code (shared/wire/dashscope.md), or null for a code it does
// not know. The message tells a too-long input from other invalid parameters.
std::optional<ErrorKind> dashscope_kind(std::string_view code, std::string_view message);

// Classifies a DashScope error response in either protocol: the native `{code, message,
// request_id}` body or the compatible mode's OpenAI-shaped `{"error":{…}}` with DashScope codes.
ErrorInfo classify_error(const HttpResponse& response);

// The ErrorInfo of a native error object ({code, message, request_id}) without HTTP status,
// as found in an `event:error` of a stream or a 2xx body.
ErrorInfo error_from_native(const llmrt::json::Value& object, int http_status);

}  // namespace llmrt::plugins::qwen
