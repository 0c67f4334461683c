#include "dashscope_errors.h"

#include "llmrt/plugins/openai_compat/error_classifier.h"

namespace llmrt::plugins::qwen {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::optional<ErrorKind> dashscope_kind(std::string_view code, std::string_view message) {
  if (starts_with(code, "Throttling")) return ErrorKind::rate_limited;
  if (code == "Arrearage") return ErrorKind::quota_exhausted;  // the account is in arrears
  if (code == "InvalidApiKey" || code == "invalid_api_key") return ErrorKind::auth;
  if (starts_with(code, "AccessDenied")) return ErrorKind::permission;
  if (code == "DataInspectionFailed" || code == "data_inspection_failed") {
    return ErrorKind::content_filter;
  }
  if (code == "RequestTimeOut") return ErrorKind::timeout;
  if (starts_with(code, "InternalError")) return ErrorKind::server;
  if (code == "InvalidParameter" || starts_with(code, "BadRequest")) {
    // "Range of input length should be [1, 30720]": the prompt is too long for the model.
    if (message.find("input length") != std::string_view::npos) return ErrorKind::context_length;
    return ErrorKind::bad_request;
  }
  if (code == "ModelNotFound" || code == "model_not_found") return ErrorKind::not_found;
  return std::nullopt;
}

ErrorInfo error_from_native(const json::Value& object, int http_status) {
  ErrorInfo info;
  info.http_status = http_status;
  info.code = object["code"].text();
  info.message = object["message"].str();
  info.request_id = object["request_id"].str();
  info.kind = dashscope_kind(info.code, info.message)
                  .value_or(kind_for_http_status(http_status).value_or(ErrorKind::server));
  return info;
}

ErrorInfo classify_error(const HttpResponse& response) {
  std::optional<json::Document> doc = json::Document::try_parse(response.body);
  const json::Value root = doc ? doc->root() : json::Value();
  ErrorInfo info;
  if (root.is_object() && !root["error"].exists() && root["code"].exists()) {
    info = error_from_native(root, response.status);
  } else {
    // The compatible mode, or a body that is no JSON at all (a gateway's HTML page).
    info = openai_compat::classify_error(response);
    if (auto kind = dashscope_kind(info.code, info.message)) info.kind = *kind;
  }
  if (info.message.empty()) info.message = "HTTP " + std::to_string(response.status);
  if (info.request_id.empty()) {
    if (const std::string* id = find_header(response.headers, "x-request-id"))
      info.request_id = *id;
  }
  return info;
}

}  // namespace llmrt::plugins::qwen
