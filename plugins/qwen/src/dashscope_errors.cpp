#include "dashscope_errors.h"

#include "llmrt/plugins/openai_compat/error_classifier.h"

namespace llmrt::plugins::qwen {
namespace {

using K = ErrorKind;

constexpr ErrorRule kRules[] = {
    {.code = "Throttling*", .kind = K::rate_limited},
    {.code = "Arrearage", .kind = K::quota_exhausted},  // the account is in arrears
    {.code = "InvalidApiKey", .kind = K::auth},
    {.code = "invalid_api_key", .kind = K::auth},
    {.code = "AccessDenied*", .kind = K::permission},
    {.code = "DataInspectionFailed", .kind = K::content_filter},
    {.code = "data_inspection_failed", .kind = K::content_filter},
    {.code = "RequestTimeOut", .kind = K::timeout},
    {.code = "InternalError*", .kind = K::server},
    // "Range of input length should be [1, 30720]": the prompt is too long for the model.
    {.code = "InvalidParameter", .message = "input length", .kind = K::context_length},
    {.code = "BadRequest*", .message = "input length", .kind = K::context_length},
    {.code = "InvalidParameter", .kind = K::bad_request},
    {.code = "BadRequest*", .kind = K::bad_request},
    {.code = "ModelNotFound", .kind = K::not_found},
    {.code = "model_not_found", .kind = K::not_found},
};

}  // namespace

constexpr ErrorTable kDashScopeErrors{kRules, &openai_compat::kErrorTable};

ErrorInfo error_from_native(const json::Value& object, int http_status) {
  return error_from_json(object, kDashScopeErrors, http_status, ErrorKind::server);
}

ErrorInfo classify_error(const HttpResponse& response) {
  return error_from_response(response, kDashScopeErrors);
}

}  // namespace llmrt::plugins::qwen
