#pragma once

#include <optional>
#include <string_view>

#include "llmrt/sdk/error.h"
#include "llmrt/sdk/http.h"
#include "llmrt/sdk/json.h"

namespace llmrt::plugins::openai_compat {

// The kind for an OpenAI-style error. In order: a code or type name that says exactly what
// happened (insufficient_quota is a 429 that must not be retried with the same key), a FastChat
// code, the HTTP status, a numeric code that is an HTTP status (OpenRouter), the broad type
// (invalid_request_error), else server when there was no status (inside a stream) and protocol
// otherwise. `http_status` 0: none.
ErrorKind kind_for(int http_status, std::string_view code, std::string_view type,
                   std::string_view message);

// Reads `{"error":{"message","type","code"}}`, a bare `{"message"}`, or any other body (an
// HTML 502 page) into an ErrorInfo. `response.status` may be 2xx when a body carried an error.
ErrorInfo classify_error(const HttpResponse& response);

// The ErrorInfo of an `error` member found inside a stream or a 2xx body (no HTTP error
// status): its status_code (or status), numeric code or type stands in for one.
ErrorInfo error_from_object(const llmrt::json::Value& error);

// FastChat's failure inside a stream, `{"text": "…", "error_code": 50001}` (error_code 0 is
// success): its ErrorInfo, or null for any other object.
std::optional<ErrorInfo> fastchat_error(const llmrt::json::Value& event);

}  // namespace llmrt::plugins::openai_compat
