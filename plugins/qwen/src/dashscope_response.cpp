#include "dashscope_response.h"

#include <algorithm>
#include <cstdint>

#include "dashscope_errors.h"
#include "llmrt/plugins/openai_compat/finish_reasons.h"
#include "llmrt/plugins/openai_compat/malformed.h"
#include "llmrt/plugins/openai_compat/response_parser.h"

namespace llmrt::plugins::qwen {

Usage read_usage(const json::Value& usage) {
  Usage u;
  u.prompt_tokens = usage["input_tokens"].as_count().value_or(0);
  u.completion_tokens = usage["output_tokens"].as_count().value_or(0);
  // Both are below 2^63: their sum fits in an unsigned and is capped at the largest count.
  const auto sum = static_cast<unsigned long long>(u.prompt_tokens) +
                   static_cast<unsigned long long>(u.completion_tokens);
  u.total_tokens = usage["total_tokens"].as_count().value_or(static_cast<long long>(
      std::min<unsigned long long>(sum, static_cast<unsigned long long>(INT64_MAX))));
  return u;
}

NativeOutput read_output(const json::Value& output) {
  NativeOutput out;
  json::Value reason_holder = output;
  if (const json::Value choices = output["choices"]; choices.is_array() && !choices.empty()) {
    const json::Value choice = choices[0];
    out.message = choice["message"];
    reason_holder = choice;
  } else {
    out.text = output["text"].str();
  }
  out.finish_reason = reason_holder["finish_reason"].str();
  if (out.finish_reason == "null") out.finish_reason = {};
  return out;
}

ChatResult parse_native_response(const HttpResponse& response) {
  json::Document doc;
  const json::Value root = openai_compat::parse_object(doc, response.body, "DashScope response");
  const json::Value output = root["output"];
  if (!output.is_object()) {
    if (!root["code"].text().empty()) throw Error(error_from_native(root, response.status));
    throw Error(ErrorKind::protocol,
                "DashScope response has no output: '" + snippet(response.body) + "'");
  }
  NativeOutput native = read_output(output);
  ChatResult result;
  if (native.message.exists()) {
    result.content = native.message["content"].str();
    result.reasoning = native.message["reasoning_content"].str();
    openai_compat::read_tool_calls(native.message["tool_calls"], result.tool_calls);
  } else {
    result.content = native.text;
  }
  if (!native.finish_reason.empty()) {
    result.finish_reason = openai_compat::finish_reason_of(native.finish_reason);
    result.finish_reason_raw = native.finish_reason;
  }
  if (const json::Value usage = root["usage"]; usage.is_object()) result.usage = read_usage(usage);
  return result;
}

}  // namespace llmrt::plugins::qwen
