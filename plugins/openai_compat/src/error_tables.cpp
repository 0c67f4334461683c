#include "llmrt/plugins/openai_compat/error_tables.h"

#include <charconv>

namespace llmrt::plugins::openai_compat {

std::optional<ErrorKind> kind_for_code_name(std::string_view c) {
  if (c == "context_length_exceeded" || c == "string_above_max_length") {
    return ErrorKind::context_length;
  }
  if (c == "insufficient_quota") return ErrorKind::quota_exhausted;
  if (c == "rate_limit_exceeded" || c == "rate_limit_error") return ErrorKind::rate_limited;
  if (c == "invalid_api_key" || c == "authentication_error") return ErrorKind::auth;
  if (c == "model_not_found") return ErrorKind::not_found;
  if (c == "content_filter" || c == "content_policy_violation") return ErrorKind::content_filter;
  return std::nullopt;
}

std::optional<ErrorKind> kind_for_error_type(std::string_view t) {
  if (t == "invalid_request_error" || t == "request_too_large") return ErrorKind::bad_request;
  if (t == "permission_error") return ErrorKind::permission;
  if (t == "not_found_error") return ErrorKind::not_found;
  if (t == "server_error" || t == "api_error" || t == "overloaded_error") return ErrorKind::server;
  return std::nullopt;
}

std::optional<ErrorKind> kind_for_fastchat_code(long long code) {
  switch (code) {
    case 40001:  // VALIDATION_TYPE_ERROR
    case 40302:  // PARAM_OUT_OF_RANGE
      return ErrorKind::bad_request;
    case 40101:  // INVALID_AUTH_KEY
    case 40102:  // INCORRECT_AUTH_KEY
      return ErrorKind::auth;
    case 40103:  // NO_PERMISSION
      return ErrorKind::permission;
    case 40301:  // INVALID_MODEL
      return ErrorKind::not_found;
    case 40303:  // CONTEXT_OVERFLOW
      return ErrorKind::context_length;
    case 42901:  // RATE_LIMIT
      return ErrorKind::rate_limited;
    case 42902:  // QUOTA_EXCEEDED
      return ErrorKind::quota_exhausted;
    case 42903:  // ENGINE_OVERLOADED: the server is busy, not this key
    case 50001:  // INTERNAL_ERROR
    case 50002:  // CUDA_OUT_OF_MEMORY
    case 50003:  // GRADIO_REQUEST_ERROR
    case 50004:  // GRADIO_STREAM_UNKNOWN_ERROR
    case 50005:  // CONTROLLER_NO_WORKER
      return ErrorKind::server;
    case 50006:  // CONTROLLER_WORKER_TIMEOUT
      return ErrorKind::timeout;
    default:
      return std::nullopt;
  }
}

std::optional<long long> numeric_code(std::string_view code) {
  long long n = 0;
  auto [end, ec] = std::from_chars(code.data(), code.data() + code.size(), n);
  if (ec != std::errc() || end != code.data() + code.size() || code.empty()) return std::nullopt;
  return n;
}

}  // namespace llmrt::plugins::openai_compat
