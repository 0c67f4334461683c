#include "puyu_errors.h"

#include "llmrt/plugins/openai_compat/bounded_json.h"
#include "llmrt/plugins/openai_compat/error_classifier.h"
#include "llmrt/plugins/openai_compat/json_access.h"

namespace llmrt::plugins::internlm {
namespace {

constexpr long long kContextTooLong = -20003;

std::string message_of(const rapidjson::Value& object) {
  std::string_view msg = json::string_member(object, "msg");
  return std::string(msg.empty() ? json::string_member(object, "message") : msg);
}

}  // namespace

std::optional<ErrorInfo> puyu_error(const rapidjson::Value& object, int http_status) {
  if (!object.IsObject()) return std::nullopt;
  ErrorInfo info;
  info.http_status = http_status;
  if (std::string_view msg_code = json::string_member(object, "msgCode"); !msg_code.empty()) {
    // A0202 "user authenticate failed", A0211 the token expired: both mean this key is out.
    info.code = msg_code;
    info.message = message_of(object);
    info.kind = msg_code.substr(0, 3) == "A02"
                    ? ErrorKind::auth
                    : kind_for_http_status(http_status).value_or(ErrorKind::bad_request);
    return info;
  }
  const rapidjson::Value* code = json::member(object, "code");
  if (code == nullptr || !code->IsInt64() || code->GetInt64() == 0) return std::nullopt;
  info.code = std::to_string(code->GetInt64());
  info.message = message_of(object);
  info.kind = code->GetInt64() == kContextTooLong
                  ? ErrorKind::context_length
                  : kind_for_http_status(http_status).value_or(ErrorKind::server);
  return info;
}

ErrorInfo classify_error(const HttpResponse& response) {
  rapidjson::Document doc;
  if (json::parse(doc, response.body).ok()) {
    if (auto info = puyu_error(doc, response.status)) {
      if (info->message.empty()) info->message = "HTTP " + std::to_string(response.status);
      return *info;
    }
  }
  return openai_compat::classify_error(response);
}

}  // namespace llmrt::plugins::internlm
