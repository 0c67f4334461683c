#include "llmrt/plugins/openai_compat/error_classifier.h"

#include "llmrt/plugins/openai_compat/content_filter.h"

namespace llmrt::plugins::openai_compat {
namespace {

using K = ErrorKind;

constexpr ErrorRule kRules[] = {
    // A code (or, without one, the type) that says exactly what happened, whatever the status:
    // insufficient_quota is a 429 that must not be retried with the same key.
    {.code = "context_length_exceeded", .kind = K::context_length},
    {.code = "string_above_max_length", .kind = K::context_length},
    {.code = "insufficient_quota", .kind = K::quota_exhausted},
    {.type = "insufficient_quota", .kind = K::quota_exhausted},
    {.code = "rate_limit_exceeded", .kind = K::rate_limited},
    {.code = "rate_limit_error", .kind = K::rate_limited},
    {.type = "rate_limit_error", .kind = K::rate_limited},
    {.code = "invalid_api_key", .kind = K::auth},
    {.code = "authentication_error", .kind = K::auth},
    {.type = "authentication_error", .kind = K::auth},
    {.code = "model_not_found", .kind = K::not_found},
    {.code = "content_filter", .kind = K::content_filter},
    {.code = "content_policy_violation", .kind = K::content_filter},
    // FastChat's codes (fastchat/constants.py ErrorCode), the model servers behind DB-GPT and
    // many OpenAI-compatible deployments.
    {.code = "40001", .kind = K::bad_request},      // VALIDATION_TYPE_ERROR
    {.code = "40302", .kind = K::bad_request},      // PARAM_OUT_OF_RANGE
    {.code = "40101", .kind = K::auth},             // INVALID_AUTH_KEY
    {.code = "40102", .kind = K::auth},             // INCORRECT_AUTH_KEY
    {.code = "40103", .kind = K::permission},       // NO_PERMISSION
    {.code = "40301", .kind = K::not_found},        // INVALID_MODEL
    {.code = "40303", .kind = K::context_length},   // CONTEXT_OVERFLOW
    {.code = "42901", .kind = K::rate_limited},     // RATE_LIMIT
    {.code = "42902", .kind = K::quota_exhausted},  // QUOTA_EXCEEDED
    {.code = "42903", .kind = K::server},   // ENGINE_OVERLOADED: the server is busy, not this key
    {.code = "50001", .kind = K::server},   // INTERNAL_ERROR
    {.code = "50002", .kind = K::server},   // CUDA_OUT_OF_MEMORY
    {.code = "50003", .kind = K::server},   // GRADIO_REQUEST_ERROR
    {.code = "50004", .kind = K::server},   // GRADIO_STREAM_UNKNOWN_ERROR
    {.code = "50005", .kind = K::server},   // CONTROLLER_NO_WORKER
    {.code = "50006", .kind = K::timeout},  // CONTROLLER_WORKER_TIMEOUT
    // Some compatible servers say only this, in words, with a 400.
    {.status = 400, .message = "context length", .kind = K::context_length},
    {.type = "invalid_request_error", .message = "context length", .kind = K::context_length},
    // The broad types of OpenAI-style and Anthropic-style APIs say less than a status does:
    // they count only where there is none (inside a stream).
    {.status = kNoErrorStatus, .type = "invalid_request_error", .kind = K::bad_request},
    {.status = kNoErrorStatus, .type = "request_too_large", .kind = K::bad_request},
    {.status = kNoErrorStatus, .type = "permission_error", .kind = K::permission},
    {.status = kNoErrorStatus, .type = "not_found_error", .kind = K::not_found},
    {.status = kNoErrorStatus, .type = "server_error", .kind = K::server},
    {.status = kNoErrorStatus, .type = "api_error", .kind = K::server},
    {.status = kNoErrorStatus, .type = "overloaded_error", .kind = K::server},
};

}  // namespace

constexpr ErrorTable kErrorTable{kRules};

ErrorInfo classify_error(const HttpResponse& response, const ErrorTable& table) {
  ErrorInfo info = error_from_response(response, table);
  if (info.kind == ErrorKind::content_filter) {
    if (auto doc = json::Document::try_parse(response.body)) {
      name_filtered_categories(doc->root()["error"], info);
    }
  }
  return info;
}

ErrorInfo error_from_object(const json::Value& error, const ErrorTable& table) {
  ErrorInfo info = error_from_json(error, table);
  name_filtered_categories(error, info);
  return info;
}

std::optional<ErrorInfo> fastchat_error(const json::Value& event, const ErrorTable& table) {
  const long long code = event["error_code"].as_int64().value_or(0);
  if (code == 0) return std::nullopt;
  ErrorInfo info;
  info.code = std::to_string(code);
  info.message = event["text"].str();
  classify(table, ErrorFields{.code = info.code, .message = info.message}, info);
  return info;
}

}  // namespace llmrt::plugins::openai_compat
