#include "llmrt/plugins/openai_compat/response_parser.h"

#include "llmrt/plugins/openai_compat/completion_reader.h"
#include "llmrt/plugins/openai_compat/error_classifier.h"
#include "llmrt/plugins/openai_compat/finish_reasons.h"
#include "llmrt/plugins/openai_compat/malformed.h"
#include "llmrt/plugins/openai_compat/usage.h"

namespace llmrt::plugins::openai_compat {
namespace {

[[noreturn]] void malformed(const std::string& what, std::string_view body) {
  throw Error(ErrorKind::protocol,
              "malformed chat completion: " + what + " in body '" + snippet(body) + "'");
}

}  // namespace

long long tool_call_index(const json::Value& call, long long fallback) {
  const json::Value v = call["index"];
  if (!v.exists() || v.is_null()) return fallback;
  if (auto n = v.as_int64()) return *n;
  throw Error(ErrorKind::protocol,
              "tool call index is not a 64-bit integer: " + snippet(v.raw(), 60));
}

void read_tool_calls(const json::Value& calls, std::vector<ToolCall>& out) {
  long long position = 0;
  for (json::Value call : calls.items()) {
    ToolCall tc;
    tc.index = tool_call_index(call, position);
    tc.id = call["id"].str();
    if (std::string_view type = call["type"].str(); !type.empty()) tc.type = type;
    tc.name = call["function"]["name"].str();
    tc.arguments = call["function"]["arguments"].str();
    out.push_back(std::move(tc));
    ++position;
  }
}

ChatResult parse_chat_completion(const HttpResponse& response) {
  ChatResult result;
  if (!read_completion(response.body, result)) result = parse_completion_tree(response);
  return result;
}

ChatResult parse_completion_tree(const HttpResponse& response) {
  const std::string& body = response.body;
  json::Document doc;
  const json::Value root = parse_object(doc, body, "chat completion");
  if (root["error"].exists()) throw Error(classify_error(response));
  const json::Value choices = root["choices"];
  if (!choices.is_array() || choices.empty()) malformed("no choices", body);
  const json::Value choice = choices[0];
  const json::Value message = choice["message"];
  if (!message.is_object()) malformed("choices[0] has no message", body);

  ChatResult result;
  result.content = message["content"].str();
  result.reasoning = message["reasoning_content"].str();
  if (result.reasoning.empty()) result.reasoning = message["reasoning"].str();
  read_tool_calls(message["tool_calls"], result.tool_calls);
  if (auto raw = choice["finish_reason"].str(); !raw.empty()) {
    result.finish_reason = finish_reason_of(raw);
    result.finish_reason_raw = raw;
  }
  if (const json::Value usage = root["usage"]; usage.is_object()) result.usage = read_usage(usage);
  return result;
}

}  // namespace llmrt::plugins::openai_compat
