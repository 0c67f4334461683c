#include "llmrt/plugins/openai_compat/response_parser.h"
#include "llmrt/plugins/openai_compat/finish_reasons.h"

#include <rapidjson/document.h>

#include "llmrt/plugins/openai_compat/bounded_json.h"
#include "llmrt/plugins/openai_compat/error_classifier.h"
#include "llmrt/plugins/openai_compat/json_access.h"

namespace llmrt::plugins::openai_compat {
namespace {

[[noreturn]] void malformed(const std::string& what, std::string_view body) {
  throw Error(ErrorKind::protocol,
              "malformed chat completion: " + what + " in body '" + json::snippet(body) + "'");
}

}  // namespace

void read_tool_calls(const rapidjson::Value& calls, std::vector<ToolCall>& out) {
  if (!calls.IsArray()) return;
  long long position = 0;
  for (const rapidjson::Value& call : calls.GetArray()) {
    ToolCall tc;
    tc.index = json::tool_call_index(call, position);
    tc.id = json::string_member(call, "id");
    if (std::string_view type = json::string_member(call, "type"); !type.empty()) tc.type = type;
    if (const rapidjson::Value* fn = json::member(call, "function")) {
      tc.name = json::string_member(*fn, "name");
      tc.arguments = json::string_member(*fn, "arguments");
    }
    out.push_back(std::move(tc));
    ++position;
  }
}

ChatResult parse_chat_completion(const HttpResponse& response) {
  const std::string& body = response.body;
  rapidjson::Document doc;
  if (json::ParseStatus status = json::parse(doc, body); !status.ok()) {
    malformed("JSON error: " + status.describe(), body);
  }
  if (!doc.IsObject()) malformed("not a JSON object", body);
  if (json::member(doc, "error") != nullptr) {
    ErrorInfo info = classify_error(response);
    throw Error(std::move(info));
  }
  const rapidjson::Value* choices = json::member(doc, "choices");
  if (choices == nullptr || !choices->IsArray() || choices->Empty()) {
    malformed("no choices", body);
  }
  const rapidjson::Value& choice = (*choices)[0];
  const rapidjson::Value* message = json::member(choice, "message");
  if (message == nullptr || !message->IsObject()) malformed("choices[0] has no message", body);

  ChatResult result;
  result.content = json::string_member(*message, "content");
  result.reasoning = json::string_member(*message, "reasoning_content");
  if (result.reasoning.empty()) result.reasoning = json::string_member(*message, "reasoning");
  if (const rapidjson::Value* calls = json::member(*message, "tool_calls")) {
    read_tool_calls(*calls, result.tool_calls);
  }
  if (auto raw = json::string_member(choice, "finish_reason"); !raw.empty()) {
    result.finish_reason = finish_reason_of(raw);
    result.finish_reason_raw = raw;
  }
  if (const rapidjson::Value* usage = json::member(doc, "usage"); usage && usage->IsObject()) {
    result.usage = Usage{json::count_member(*usage, "prompt_tokens").value_or(0),
                         json::count_member(*usage, "completion_tokens").value_or(0),
                         json::count_member(*usage, "total_tokens").value_or(0)};
  }
  return result;
}

}  // namespace llmrt::plugins::openai_compat
