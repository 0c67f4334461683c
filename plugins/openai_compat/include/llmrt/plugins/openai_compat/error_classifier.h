#pragma once

#include <string_view>

#include <rapidjson/document.h>

#include "llmrt/sdk/error.h"
#include "llmrt/sdk/http.h"

namespace llmrt::plugins::openai_compat {

// The kind for an OpenAI-style error: the code or type decides when it is one we know
// (insufficient_quota is a 429 that must not be retried with the same key), else the status.
ErrorKind kind_for(int http_status, std::string_view code, std::string_view type,
                   std::string_view message);

// Reads `{"error":{"message","type","code"}}`, a bare `{"message"}`, or any other body (an
// HTML 502 page) into an ErrorInfo. `response.status` may be 2xx when a body carried an error.
ErrorInfo classify_error(const HttpResponse& response);

// The ErrorInfo of an `error` member found inside a stream (no HTTP status).
ErrorInfo error_from_object(const rapidjson::Value& error);

}  // namespace llmrt::plugins::openai_compat
