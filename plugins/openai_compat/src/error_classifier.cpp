#include "llmrt/plugins/openai_compat/error_classifier.h"

#include "llmrt/plugins/openai_compat/json_access.h"

namespace llmrt::plugins::openai_compat {
namespace {

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace

ErrorKind kind_for(int http_status, std::string_view code, std::string_view type,
                   std::string_view message) {
  for (std::string_view c : {code, type}) {
    if (c == "context_length_exceeded" || c == "string_above_max_length") {
      return ErrorKind::context_length;
    }
    if (c == "insufficient_quota") return ErrorKind::quota_exhausted;
    if (c == "rate_limit_exceeded" || c == "rate_limit_error") return ErrorKind::rate_limited;
    if (c == "invalid_api_key" || c == "authentication_error") return ErrorKind::auth;
    if (c == "model_not_found") return ErrorKind::not_found;
    if (c == "content_filter" || c == "content_policy_violation") {
      return ErrorKind::content_filter;
    }
  }
  // Some compatible servers say only this, in words, with a 400.
  if (http_status == 400 &&
      (contains(message, "maximum context length") || contains(message, "context length"))) {
    return ErrorKind::context_length;
  }
  if (auto kind = kind_for_http_status(http_status)) return *kind;
  if (type == "server_error" || http_status == 0) return ErrorKind::server;
  return ErrorKind::protocol;
}

ErrorInfo error_from_object(const rapidjson::Value& error) {
  ErrorInfo info;
  if (error.IsString()) {
    info.message.assign(error.GetString(), error.GetStringLength());
  } else {
    info.message = json::string_member(error, "message");
    info.code = json::scalar_text(json::member(error, "code"));
  }
  std::string_view type = json::string_member(error, "type");
  info.kind = kind_for(0, info.code, type, info.message);
  if (info.code.empty()) info.code = type;
  return info;
}

ErrorInfo classify_error(const HttpResponse& response) {
  ErrorInfo info;
  rapidjson::Document doc;
  doc.Parse(response.body.data(), response.body.size());
  if (!doc.HasParseError() && doc.IsObject()) {
    if (const rapidjson::Value* error = json::member(doc, "error")) {
      info = error_from_object(*error);
    } else {
      info.message = json::string_member(doc, "message");
      info.code = json::scalar_text(json::member(doc, "code"));
    }
  } else if (!response.body.empty()) {
    info.message = json::snippet(response.body);
  }
  std::string_view type = info.code;
  info.http_status = response.status;
  info.kind = kind_for(response.status, info.code, type, info.message);
  if (info.message.empty()) info.message = "HTTP " + std::to_string(response.status);
  if (const std::string* id = find_header(response.headers, "x-request-id")) {
    info.request_id = *id;
  }
  return info;
}

}  // namespace llmrt::plugins::openai_compat
