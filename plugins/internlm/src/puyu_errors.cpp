#include "puyu_errors.h"

#include "llmrt/plugins/openai_compat/error_classifier.h"

namespace llmrt::plugins::internlm {
namespace {

constexpr long long kContextTooLong = -20003;

std::string message_of(const json::Value& object) {
  std::string_view msg = object["msg"].str();
  return std::string(msg.empty() ? object["message"].str() : msg);
}

}  // namespace

std::optional<ErrorInfo> puyu_error(const json::Value& object, int http_status) {
  if (!object.is_object()) return std::nullopt;
  ErrorInfo info;
  info.http_status = http_status;
  if (std::string_view msg_code = object["msgCode"].str(); !msg_code.empty()) {
    // A0202 "user authenticate failed", A0211 the token expired: both mean this key is out.
    info.code = msg_code;
    info.message = message_of(object);
    info.kind = msg_code.substr(0, 3) == "A02"
                    ? ErrorKind::auth
                    : kind_for_http_status(http_status).value_or(ErrorKind::bad_request);
    return info;
  }
  const std::optional<long long> code = object["code"].as_int64();
  if (!code || *code == 0) return std::nullopt;
  info.code = std::to_string(*code);
  info.message = message_of(object);
  info.kind = *code == kContextTooLong
                  ? ErrorKind::context_length
                  : kind_for_http_status(http_status).value_or(ErrorKind::server);
  return info;
}

ErrorInfo classify_error(const HttpResponse& response) {
  if (std::optional<json::Document> doc = json::Document::try_parse(response.body)) {
    if (auto info = puyu_error(doc->root(), response.status)) {
      if (info->message.empty()) info->message = "HTTP " + std::to_string(response.status);
      return *info;
    }
  }
  return openai_compat::classify_error(response);
}

}  // namespace llmrt::plugins::internlm
