#include "llmrt/plugins/openai_compat/error_classifier.h"

#include "llmrt/plugins/openai_compat/error_tables.h"
#include "llmrt/plugins/openai_compat/malformed.h"

namespace llmrt::plugins::openai_compat {
namespace {

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

bool is_error_status(long long status) { return status >= 400 && status <= 599; }

// The HTTP status an error object says it stands for: "status_code": 400 (vLLM, LiteLLM) or
// "status". 0 when it says none.
int status_inside(const json::Value& error) {
  for (std::string_view key : {"status_code", "status"}) {
    long long n = error[key].as_int64().value_or(0);
    if (is_error_status(n)) return static_cast<int>(n);
  }
  return 0;
}

}  // namespace

ErrorKind kind_for(int http_status, std::string_view code, std::string_view type,
                   std::string_view message) {
  for (std::string_view c : {code, type}) {
    if (auto kind = kind_for_code_name(c)) return *kind;
  }
  const std::optional<long long> number = numeric_code(code);
  if (number) {
    if (auto kind = kind_for_fastchat_code(*number)) return *kind;
  }
  // Some compatible servers say only this, in words, with a 400.
  if ((http_status == 400 || type == "invalid_request_error") &&
      (contains(message, "maximum context length") || contains(message, "context length"))) {
    return ErrorKind::context_length;
  }
  if (auto kind = kind_for_http_status(http_status)) return *kind;
  if (number && is_error_status(*number)) {
    if (auto kind = kind_for_http_status(static_cast<int>(*number))) return *kind;
  }
  if (auto kind = kind_for_error_type(type)) return *kind;
  if (http_status == 0) return ErrorKind::server;
  return ErrorKind::protocol;
}

ErrorInfo error_from_object(const json::Value& error) {
  ErrorInfo info;
  if (error.is_string()) {
    info.message = error.str();
  } else {
    info.message = error["message"].str();
    info.code = error["code"].text();
  }
  std::string_view type = error["type"].str();
  info.kind = kind_for(status_inside(error), info.code, type, info.message);
  if (info.code.empty()) info.code = type;
  return info;
}

std::optional<ErrorInfo> fastchat_error(const json::Value& event) {
  const long long code = event["error_code"].as_int64().value_or(0);
  if (code == 0) return std::nullopt;
  ErrorInfo info;
  info.code = std::to_string(code);
  info.message = event["text"].str();
  info.kind = kind_for(0, info.code, {}, info.message);
  return info;
}

ErrorInfo classify_error(const HttpResponse& response) {
  ErrorInfo info;
  std::string type;
  int status_for_kind = response.status;
  std::optional<json::Document> doc = json::Document::try_parse(response.body);
  if (doc && doc->root().is_object()) {
    const json::Value root = doc->root();
    if (const json::Value error = root["error"]; error.exists()) {
      info = error_from_object(error);
      type = error["type"].str();
      // A 2xx body that carries an error: the object's own status, if it gives one, decides.
      if (!is_error_status(response.status) && status_inside(error) != 0) {
        status_for_kind = status_inside(error);
      }
    } else {
      info.message = root["message"].str();
      info.code = root["code"].text();
    }
  } else if (!response.body.empty()) {
    info.message = snippet(response.body);
  }
  if (type.empty()) type = info.code;
  info.http_status = response.status;
  info.kind = kind_for(status_for_kind, info.code, type, info.message);
  if (info.message.empty()) info.message = "HTTP " + std::to_string(response.status);
  if (const std::string* id = find_header(response.headers, "x-request-id")) {
    info.request_id = *id;
  }
  return info;
}

}  // namespace llmrt::plugins::openai_compat
