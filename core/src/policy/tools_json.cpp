#include "llmrt/core/tools_json.h"

#include "llmrt/core/utf8.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/json.h"

namespace llmrt::core {
namespace {

[[noreturn]] void fail(std::string_view where, const std::string& at, const std::string& what) {
  std::string message(where);
  message += ": ";
  if (!at.empty()) (message += at) += ": ";
  throw Error(ErrorKind::bad_request, message + what);
}

std::string join(const std::string& at, std::string_view key) {
  return at.empty() ? std::string(key) : at + "." + std::string(key);
}

json::Document parse(std::string_view json, std::string_view where) {
  std::string error;
  std::optional<json::Document> doc = json::Document::try_parse(json, &error);
  if (!doc) fail(where, "", error);
  return std::move(*doc);
}

std::string text(const json::Value& v, std::string_view where, const std::string& at) {
  auto s = v.as_string();
  if (!s) fail(where, at, v.exists() ? "expected a string" : "missing");
  if (auto bad = find_invalid_utf8(*s)) {
    fail(where, at, "invalid UTF-8 at byte " + std::to_string(*bad));
  }
  return std::string(*s);
}

void only(const json::Value& object, std::string_view where, const std::string& at,
          std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : object.members()) {
    bool found = false;
    std::string list;
    for (std::string_view k : known) {
      found = found || k == key;
      (list += list.empty() ? "" : ", ") += k;
    }
    if (!found) fail(where, join(at, key), "unknown key (this takes " + list + ")");
  }
}

void require_function_type(const json::Value& v, std::string_view where, const std::string& at) {
  if (!v["type"].exists()) fail(where, join(at, "type"), "missing (\"function\")");
  if (text(v["type"], where, join(at, "type")) != "function") {
    fail(where, join(at, "type"), "only \"function\" tools are supported");
  }
}

ToolSpec tool(const json::Value& v, std::string_view where, const std::string& at) {
  if (!v.is_object())
    fail(where, at, "expected an object {\"type\":\"function\",\"function\":{…}}");
  only(v, where, at, {"type", "function"});
  require_function_type(v, where, at);
  const std::string f = at + ".function";
  json::Value function = v["function"];
  if (!function.is_object()) {
    fail(where, f, function.exists() ? "expected an object with name" : "missing");
  }
  only(function, where, f, {"name", "description", "parameters"});
  ToolSpec spec;
  spec.name = text(function["name"], where, f + ".name");
  if (spec.name.empty()) fail(where, f + ".name", "empty");
  if (json::Value d = function["description"]; d.exists() && !d.is_null()) {
    spec.description = text(d, where, f + ".description");
  }
  if (json::Value p = function["parameters"]; p.exists() && !p.is_null()) {
    if (!p.is_object()) fail(where, f + ".parameters", "expected a JSON Schema object");
    spec.parameters_json = std::string(p.raw());
  }
  return spec;
}

}  // namespace

std::vector<ToolSpec> parse_tools_json(std::string_view json, std::string_view where) {
  json::Document doc = parse(json, where);
  json::Value root = doc.root();
  if (root.is_null()) return {};
  if (!root.is_array()) fail(where, "", "expected an array of tools");
  std::vector<ToolSpec> tools;
  std::size_t i = 0;
  for (json::Value v : root.items()) {
    std::string at = "[";  // appended: GCC 12's false -Wrestrict at -O3 (bug 105651)
    at += std::to_string(i++);
    at += ']';
    tools.push_back(tool(v, where, at));
    for (std::size_t j = 0; j + 1 < tools.size(); ++j) {
      if (tools[j].name == tools.back().name) {
        fail(where, at + ".function.name", "'" + tools.back().name + "' is defined twice");
      }
    }
  }
  return tools;
}

std::optional<ToolChoice> parse_tool_choice_json(std::string_view json, std::string_view where) {
  json::Document doc = parse(json, where);
  json::Value root = doc.root();
  if (root.is_null()) return std::nullopt;
  if (auto mode = root.as_string()) {
    if (*mode == "auto") return ToolChoice{ToolChoiceMode::automatic, {}};
    if (*mode == "none") return ToolChoice{ToolChoiceMode::none, {}};
    if (*mode == "required") return ToolChoice{ToolChoiceMode::required, {}};
    fail(where, "",
         "expected \"auto\", \"none\", \"required\" or "
         "{\"type\":\"function\",\"function\":{\"name\":…}}, got \"" +
             std::string(*mode) + "\"");
  }
  if (!root.is_object()) {
    fail(where, "",
         "expected \"auto\", \"none\", \"required\" or "
         "{\"type\":\"function\",\"function\":{\"name\":…}}");
  }
  only(root, where, "", {"type", "function"});
  require_function_type(root, where, "");
  json::Value function = root["function"];
  if (!function.is_object()) {
    fail(where, "function", function.exists() ? "expected an object with name" : "missing");
  }
  only(function, where, "function", {"name"});
  ToolChoice choice{ToolChoiceMode::function, text(function["name"], where, "function.name")};
  if (choice.name.empty()) fail(where, "function.name", "empty");
  return choice;
}

void check_tool_choice(const GenParams& params) {
  if (!params.tool_choice || params.extras.count("tools") != 0) return;
  const ToolChoice& choice = *params.tool_choice;
  const bool must_call =
      choice.mode == ToolChoiceMode::required || choice.mode == ToolChoiceMode::function;
  if (!must_call) return;
  const std::string what = choice.mode == ToolChoiceMode::required
                               ? std::string("tool_choice \"required\"")
                               : "tool_choice '" + choice.name + "'";
  if (params.tools.empty()) {
    throw Error(ErrorKind::bad_request, what + " needs tools to call, and none are given");
  }
  if (choice.mode == ToolChoiceMode::required) return;
  std::string names;
  for (const ToolSpec& tool : params.tools) {
    if (tool.name == choice.name) return;
    names += (names.empty() ? "" : ", ") + tool.name;
  }
  throw Error(ErrorKind::bad_request, what + " names no tool given (the tools: " + names + ")");
}

}  // namespace llmrt::core
