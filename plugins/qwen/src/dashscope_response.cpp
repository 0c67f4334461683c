#include "dashscope_response.h"

#include <algorithm>
#include <cstdint>

#include "dashscope_errors.h"
#include "llmrt/plugins/openai_compat/bounded_json.h"
#include "llmrt/plugins/openai_compat/finish_reasons.h"
#include "llmrt/plugins/openai_compat/json_access.h"
#include "llmrt/plugins/openai_compat/response_parser.h"

namespace llmrt::plugins::qwen {

Usage read_usage(const rapidjson::Value& usage) {
  Usage u;
  u.prompt_tokens = json::count_member(usage, "input_tokens").value_or(0);
  u.completion_tokens = json::count_member(usage, "output_tokens").value_or(0);
  // Both are below 2^63: their sum fits in an unsigned and is capped at the largest count.
  const auto sum = static_cast<unsigned long long>(u.prompt_tokens) +
                   static_cast<unsigned long long>(u.completion_tokens);
  u.total_tokens = json::count_member(usage, "total_tokens")
                       .value_or(static_cast<long long>(std::min<unsigned long long>(
                           sum, static_cast<unsigned long long>(INT64_MAX))));
  return u;
}

NativeOutput read_output(const rapidjson::Value& output) {
  NativeOutput out;
  const rapidjson::Value* reason_holder = &output;
  if (const rapidjson::Value* choices = json::member(output, "choices");
      choices != nullptr && choices->IsArray() && !choices->Empty()) {
    const rapidjson::Value& choice = (*choices)[0];
    out.message = json::member(choice, "message");
    reason_holder = &choice;
  } else {
    out.text = json::string_member(output, "text");
  }
  out.finish_reason = json::string_member(*reason_holder, "finish_reason");
  if (out.finish_reason == "null") out.finish_reason = {};
  return out;
}

ChatResult parse_native_response(const HttpResponse& response) {
  rapidjson::Document doc;
  json::ParseStatus status = json::parse(doc, response.body);
  if (!status.ok() || !doc.IsObject()) {
    throw Error(ErrorKind::protocol,
                "malformed DashScope response (" +
                    (status.ok() ? std::string("not a JSON object") : status.describe()) + "): '" +
                    json::snippet(response.body) + "'");
  }
  const rapidjson::Value* output = json::member(doc, "output");
  if (output == nullptr || !output->IsObject()) {
    if (!json::scalar_text(json::member(doc, "code")).empty()) {
      throw Error(error_from_native(doc, response.status));
    }
    throw Error(ErrorKind::protocol,
                "DashScope response has no output: '" + json::snippet(response.body) + "'");
  }
  NativeOutput native = read_output(*output);
  ChatResult result;
  if (native.message != nullptr) {
    result.content = json::string_member(*native.message, "content");
    result.reasoning = json::string_member(*native.message, "reasoning_content");
    if (const rapidjson::Value* calls = json::member(*native.message, "tool_calls")) {
      openai_compat::read_tool_calls(*calls, result.tool_calls);
    }
  } else {
    result.content = native.text;
  }
  if (!native.finish_reason.empty()) {
    result.finish_reason = openai_compat::finish_reason_of(native.finish_reason);
    result.finish_reason_raw = native.finish_reason;
  }
  if (const rapidjson::Value* usage = json::member(doc, "usage"); usage && usage->IsObject()) {
    result.usage = read_usage(*usage);
  }
  return result;
}

}  // namespace llmrt::plugins::qwen
