#pragma once

// What the error codes and types of the servers llmrt's plugins talk to mean, in one place:
// the plugins share this helper (and add their provider's own table on top).

#include <optional>
#include <string_view>

#include "llmrt/sdk/error.h"

namespace llmrt::plugins::openai_compat {

// A code or type name that says exactly what happened, whatever the status
// (insufficient_quota, context_length_exceeded, invalid_api_key, rate_limit_error,
// authentication_error, …). Null for others.
std::optional<ErrorKind> kind_for_code_name(std::string_view name);

// The broad error types of OpenAI-style and Anthropic-style APIs (invalid_request_error,
// permission_error, not_found_error, api_error, overloaded_error, …): what an error says of
// itself when no HTTP status does (inside a stream). Null for others.
std::optional<ErrorKind> kind_for_error_type(std::string_view type);

// FastChat's error codes (fastchat/constants.py ErrorCode), the codes of the model servers
// behind DB-GPT and many OpenAI-compatible deployments: 40001 validation, 40101/40102 auth,
// 40103 permission, 40301 model, 40302 parameter range, 40303 context overflow, 42901 rate
// limit, 42902 quota, 42903 engine overloaded, 50001 internal, 50002 CUDA out of memory,
// 50003/50004 gradio, 50005 no worker, 50006 worker timeout. Null for other numbers.
std::optional<ErrorKind> kind_for_fastchat_code(long long code);

// A code given as a number (OpenRouter's `code` is the HTTP status, FastChat's its table):
// the number, when `code` is all digits.
std::optional<long long> numeric_code(std::string_view code);

}  // namespace llmrt::plugins::openai_compat
