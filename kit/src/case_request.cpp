#include <string>

#include "llmrt/kit/cases.h"
#include "llmrt/sdk/json.h"

namespace llmrt::kit {
namespace {

[[noreturn]] void wrong(const std::string& where, const std::string& what) {
  throw Error(ErrorKind::bad_request, where + ": " + what);
}

std::string text_at(json::Value v, const std::string& where) {
  if (!v.exists() || v.is_null()) return {};
  if (!v.is_string()) wrong(where, "expected a string");
  return std::string(v.str());
}

double number_at(json::Value v, const std::string& where) {
  auto d = v.as_double();
  if (!d) wrong(where, "expected a number");
  return *d;
}

long long integer_at(json::Value v, const std::string& where) {
  auto n = v.as_int64();
  if (!n) wrong(where, "expected an integer");
  return *n;
}

ContentPart part_from(json::Value part, const std::string& where) {
  const std::string type = text_at(part["type"], where + ".type");
  if (type == "text") return TextPart{text_at(part["text"], where + ".text")};
  if (type != "image_url") wrong(where + ".type", "expected \"text\" or \"image_url\"");
  ImagePart image;
  image.url = text_at(part["image_url"]["url"], where + ".image_url.url");
  image.detail = text_at(part["image_url"]["detail"], where + ".image_url.detail");
  constexpr std::string_view kData = "data:";
  constexpr std::string_view kBase64 = ";base64,";
  if (std::string_view(image.url).substr(0, kData.size()) == kData) {
    const std::size_t comma = image.url.find(kBase64);
    if (comma == std::string::npos) wrong(where + ".image_url.url", "a data: URL without ;base64,");
    image.media_type = image.url.substr(kData.size(), comma - kData.size());
    image.data = image.url.substr(comma + kBase64.size());
    image.url.clear();
  }
  return image;
}

Message message_from(json::Value m, const std::string& where) {
  if (!m.is_object()) wrong(where, "expected an object");
  Message message;
  message.role = text_at(m["role"], where + ".role");
  if (m["content"].is_array()) {
    std::size_t i = 0;
    for (json::Value part : m["content"].items()) {
      message.parts.push_back(part_from(part, where + ".content[" + std::to_string(i++) + "]"));
    }
  } else {
    message.content = text_at(m["content"], where + ".content");
  }
  if (m["name"].exists()) message.name = text_at(m["name"], where + ".name");
  if (m["tool_call_id"].exists()) {
    message.tool_call_id = text_at(m["tool_call_id"], where + ".tool_call_id");
  }
  std::int64_t index = 0;
  for (json::Value call : m["tool_calls"].items()) {
    const std::string at = where + ".tool_calls[" + std::to_string(index) + "]";
    message.tool_calls.push_back(
        ToolCall{.index = index++,
                 .id = text_at(call["id"], at + ".id"),
                 .name = text_at(call["function"]["name"], at + ".name"),
                 .arguments = text_at(call["function"]["arguments"], at + ".function.arguments")});
  }
  for (json::Value block : m["reasoning"].items()) {
    message.reasoning.push_back(ReasoningBlock{text_at(block["text"], where + ".reasoning.text"),
                                               text_at(block["signature"], where + ".signature"),
                                               text_at(block["redacted"], where + ".redacted")});
  }
  return message;
}

ToolChoice tool_choice_from(json::Value v) {
  if (v.is_object()) {
    return {ToolChoiceMode::function, text_at(v["function"]["name"], "params.tool_choice.name")};
  }
  const std::string mode = text_at(v, "params.tool_choice");
  if (mode == "auto") return {ToolChoiceMode::automatic, {}};
  if (mode == "none") return {ToolChoiceMode::none, {}};
  if (mode == "required") return {ToolChoiceMode::required, {}};
  wrong("params.tool_choice", "expected \"auto\", \"none\", \"required\" or a function");
}

GenParams params_from(json::Value p) {
  GenParams params;
  for (auto [key, value] : p.members()) {
    const std::string at = "params." + std::string(key);
    if (key == "max_new_tokens") {
      params.max_new_tokens = static_cast<int>(integer_at(value, at));
    } else if (key == "temperature") {
      params.temperature = number_at(value, at);
    } else if (key == "top_p") {
      params.top_p = number_at(value, at);
    } else if (key == "top_k") {
      params.top_k = static_cast<int>(integer_at(value, at));
    } else if (key == "repetition_penalty") {
      params.repetition_penalty = number_at(value, at);
    } else if (key == "seed") {
      params.seed = integer_at(value, at);
    } else if (key == "json_mode") {
      params.json_mode = value.as_bool().value_or(false);
    } else if (key == "stop_words") {
      for (json::Value s : value.items()) params.stop_words.push_back(text_at(s, at));
    } else if (key == "tools") {
      for (json::Value t : value.items()) {
        json::Value f = t["function"];
        params.tools.push_back(ToolSpec{text_at(f["name"], at + ".function.name"),
                                        text_at(f["description"], at + ".function.description"),
                                        std::string(f["parameters"].raw())});
      }
    } else if (key == "tool_choice") {
      params.tool_choice = tool_choice_from(value);
    } else {
      params.extras[std::string(key)] = std::string(value.raw());
    }
  }
  return params;
}

}  // namespace

CaseRequest parse_case_request(std::string_view json_text) {
  json::Document doc = json::Document::parse(json_text);
  json::Value root = doc.root();
  if (!root.is_object()) wrong("(top)", "expected an object");
  CaseRequest out;
  ChatRequest& r = out.request;
  r.model = text_at(root["model"], "model");
  r.api_base = text_at(root["api_base"], "api_base");
  r.stream = root["stream"].as_bool().value_or(false);
  std::size_t i = 0;
  for (json::Value m : root["messages"].items()) {
    r.messages.push_back(message_from(m, "messages[" + std::to_string(i++) + "]"));
  }
  r.params = params_from(root["params"]);
  for (auto [key, value] : root["options"].members()) {
    r.options[std::string(key)] = text_at(value, "options." + std::string(key));
  }
  json::Value credentials = root["credentials"];
  out.credentials.api_key =
      credentials.exists() ? text_at(credentials["api_key"], "credentials.api_key") : "sk-test";
  out.credentials.organization = text_at(credentials["organization"], "credentials.organization");
  return out;
}

}  // namespace llmrt::kit
