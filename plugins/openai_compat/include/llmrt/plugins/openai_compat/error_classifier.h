#pragma once

#include <optional>

#include "llmrt/sdk/error.h"
#include "llmrt/sdk/error_table.h"
#include "llmrt/sdk/http.h"
#include "llmrt/sdk/json.h"

namespace llmrt::plugins::openai_compat {

// What the errors of OpenAI-style servers mean: OpenAI's codes and types, the Anthropic-style
// types some gateways send, FastChat's numeric codes (the model servers behind DB-GPT). A
// provider's own table continues it: ErrorTable{kMine, &openai_compat::kErrorTable}.
extern const ErrorTable kErrorTable;

// Reads `{"error":{"message","type","code"}}`, a bare `{"message"}`, or any other body (an
// HTML 502 page) into an ErrorInfo. `response.status` may be 2xx when a body carried an error.
ErrorInfo classify_error(const HttpResponse& response, const ErrorTable& table = kErrorTable);

// The ErrorInfo of an `error` member found inside a stream (no HTTP status).
ErrorInfo error_from_object(const llmrt::json::Value& error, const ErrorTable& table = kErrorTable);

// FastChat's failure inside a stream, `{"text": "…", "error_code": 50001}` (error_code 0 is
// success): its ErrorInfo, or null for any other object.
std::optional<ErrorInfo> fastchat_error(const llmrt::json::Value& event,
                                        const ErrorTable& table = kErrorTable);

}  // namespace llmrt::plugins::openai_compat
