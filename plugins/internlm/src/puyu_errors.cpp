#include "puyu_errors.h"

#include "llmrt/plugins/openai_compat/error_classifier.h"

namespace llmrt::plugins::internlm {
namespace {

constexpr ErrorRule kRules[] = {
    // A0202 "user authenticate failed", A0211 the token expired: both mean this key is out.
    {.code = "A02*", .kind = ErrorKind::auth},
    {.code = "-20003", .kind = ErrorKind::context_length},
};

}  // namespace

constexpr ErrorTable kPuyuErrors{kRules, &openai_compat::kErrorTable};

std::optional<ErrorInfo> puyu_error(const json::Value& object, int http_status) {
  if (!object.is_object()) return std::nullopt;
  ErrorInfo info;
  info.http_status = http_status;
  info.message = object["msg"].str();
  if (info.message.empty()) info.message = object["message"].str();
  ErrorKind fallback = ErrorKind::server;
  if (std::string_view msg_code = object["msgCode"].str(); !msg_code.empty()) {
    info.code = msg_code;
    fallback = ErrorKind::bad_request;  // the gateway refused the request itself
  } else {
    const std::optional<long long> code = object["code"].as_int64();
    if (!code || *code == 0) return std::nullopt;
    info.code = std::to_string(*code);
  }
  classify(kPuyuErrors, ErrorFields{http_status, {}, info.code, info.message}, info, fallback);
  return info;
}

ErrorInfo classify_error(const HttpResponse& response) {
  if (std::optional<json::Document> doc = json::Document::try_parse(response.body)) {
    if (auto info = puyu_error(doc->root(), response.status)) {
      if (info->message.empty()) info->message = "HTTP " + std::to_string(response.status);
      if (info->request_id.empty()) info->request_id = request_id_from(response.headers);
      return *info;
    }
  }
  return openai_compat::classify_error(response, kPuyuErrors);
}

}  // namespace llmrt::plugins::internlm
