#include "token_limit.h"
#include "llmrt/core/log.h"

#include <rapidjson/document.h>

namespace llmrt::cli {
namespace {

const rapidjson::Value* limit_in(const rapidjson::Value& object, std::string& key) {
  if (!object.IsObject()) return nullptr;
  for (const char* name : {"max_tokens", "max_completion_tokens"}) {
    auto it = object.FindMember(name);
    if (it != object.MemberEnd() && it->value.IsInt64()) {
      key = name;
      return &it->value;
    }
  }
  return nullptr;
}

}  // namespace

TokenLimit token_limit_of(const HttpRequest& rendered, const GenParams& params,
                          const core::ParamOverrides& overrides, const core::ModelConfig& config,
                          const std::string& config_file) {
  TokenLimit limit{.wanted = params.max_new_tokens.value_or(0)};
  // llmrt sets no limit of its own: the user's, the configuration's or the preset's.
  if (overrides.values().count("max_new_tokens") != 0) {
    limit.source = "--param max_new_tokens";
  } else if (config.params.max_new_tokens) {
    limit.source = config_file.empty() ? std::string("the model's params.max_new_tokens")
                                       : "params.max_new_tokens in " + config_file;
  } else {
    limit.source = "the " + std::string(core::to_string(config.defaults)) +
                   " parameter preset's max_new_tokens";
  }
  rapidjson::Document body;
  body.Parse(rendered.body.data(), rendered.body.size());
  if (body.HasParseError() || !body.IsObject()) return limit;
  const rapidjson::Value* value = limit_in(body, limit.sent_key);
  if (value == nullptr) {
    auto parameters = body.FindMember("parameters");  // DashScope's native protocol
    if (parameters != body.MemberEnd()) value = limit_in(parameters->value, limit.sent_key);
  }
  if (value != nullptr) limit.sent = value->GetInt64();
  // Sent as the caller's own extra parameter (--param max_completion_tokens=N).
  if (limit.sent && !params.max_new_tokens) limit.source = "--param " + limit.sent_key;
  return limit;
}

void warn_if_cut(const ChatResult& result, const TokenLimit& limit, std::ostream& err) {
  if (result.finish_reason != FinishReason::length) return;
  if (!core::log_enabled(core::LogLevel::warn)) return;  // --log-level off or error
  err << "llmrt: warning: the reply was cut by the token limit (finish reason length): ";
  if (!limit.sent) {
    err << "the server's own limit (the request set none)\n";
    return;
  }
  err << limit.sent_key << " " << *limit.sent << ", from " << limit.source;
  if (*limit.sent < limit.wanted) {
    err << " (" << limit.wanted << ", lowered by the plugin's max_tokens_cap)";
  }
  err << "; raise it with --param max_new_tokens=N\n";
}

}  // namespace llmrt::cli
