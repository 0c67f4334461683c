#include "llmrt/core/messages_json.h"

#include <charconv>
#include <initializer_list>

#include "llmrt/core/utf8.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/json_limits.h"

namespace llmrt::core {
namespace {

// Where a value sits inside the array: "[2].tool_calls[0].function.name".
class Path {
 public:
  explicit Path(std::string text) : text_(std::move(text)) {}
  Path key(std::string_view name) const { return Path(text_ + "." + std::string(name)); }
  Path index(std::size_t i) const {
    std::string text = text_;  // appended: GCC 12's false -Wrestrict at -O3 (bug 105651)
    text += '[';
    text += std::to_string(i);
    text += ']';
    return Path(std::move(text));
  }
  const std::string& str() const noexcept { return text_; }

 private:
  std::string text_;
};

class Reader {
 public:
  explicit Reader(std::string_view where) : where_(where) {}

  [[noreturn]] void fail(const Path& at, const std::string& what) const {
    throw Error(ErrorKind::bad_request, std::string(where_) + ": " + at.str() + ": " + what);
  }

  // Members outside `known` are refused by name: a key llmrt does not know would otherwise be
  // dropped on the way to the provider.
  void only(const json::Value& object, const Path& at,
            std::initializer_list<std::string_view> known, const char* what) const {
    for (const auto& [key, value] : object.members()) {
      bool found = false;
      for (std::string_view k : known) found = found || k == key;
      if (!found) {
        std::string list;
        for (std::string_view k : known) (list += list.empty() ? "" : ", ") += k;
        fail(at.key(key), "unknown key (" + std::string(what) + " takes " + list + ")");
      }
    }
  }

  std::string string(const json::Value& v, const Path& at) const {
    auto text = v.as_string();
    if (!text) fail(at, "expected a string, got " + type_name(v));
    // Refused here, with where it is, rather than sent in a body that is not JSON.
    if (auto bad = find_invalid_utf8(*text)) {
      fail(at, "invalid UTF-8 at byte " + std::to_string(*bad));
    }
    return std::string(*text);
  }

  std::optional<std::string> optional_string(const json::Value& object, std::string_view key,
                                             const Path& at) const {
    json::Value v = object[key];
    if (!v.exists() || v.is_null()) return std::nullopt;
    return string(v, at.key(key));
  }

  void object(const json::Value& v, const Path& at, const char* what) const {
    if (!v.is_object()) fail(at, std::string("expected ") + what + ", got " + type_name(v));
  }

  void array(const json::Value& v, const Path& at, const char* what) const {
    if (!v.is_array()) fail(at, std::string("expected ") + what + ", got " + type_name(v));
  }

  static std::string type_name(const json::Value& v) {
    switch (v.type()) {
      case json::Type::absent:
        return "nothing";
      case json::Type::null:
        return "null";
      case json::Type::boolean:
        return "a boolean";
      case json::Type::number:
        return "a number";
      case json::Type::string:
        return "a string";
      case json::Type::array:
        return "an array";
      case json::Type::object:
        return "an object";
    }
    return "a value";
  }

 private:
  std::string_view where_;
};

// OpenAI's image URL: a data: URL carries the image itself and becomes media type + base64
// data (what every other provider takes); an http(s) URL stays a URL.
ImagePart image_part(const Reader& r, const json::Value& v, const Path& at) {
  r.object(v, at, "an object with url");
  r.only(v, at, {"url", "detail"}, "image_url");
  ImagePart image;
  if (!v["url"].exists()) r.fail(at.key("url"), "missing");
  std::string url = r.string(v["url"], at.key("url"));
  image.detail = r.optional_string(v, "detail", at).value_or("");
  constexpr std::string_view kData = "data:";
  constexpr std::string_view kBase64 = ";base64,";
  if (url.compare(0, kData.size(), kData) == 0) {
    std::size_t marker = url.find(kBase64);
    if (marker == std::string::npos || marker == kData.size()) {
      r.fail(at.key("url"), "a data URL must be data:<media type>;base64,<data>");
    }
    image.media_type = url.substr(kData.size(), marker - kData.size());
    image.data = url.substr(marker + kBase64.size());
    if (image.data.empty()) r.fail(at.key("url"), "the data URL holds no data");
    return image;
  }
  if (url.compare(0, 7, "http://") != 0 && url.compare(0, 8, "https://") != 0) {
    r.fail(at.key("url"), "expected an http(s) URL or data:<media type>;base64,<data>");
  }
  image.url = std::move(url);
  return image;
}

ContentPart content_part(const Reader& r, const json::Value& v, const Path& at) {
  r.object(v, at, "a content part object");
  json::Value type = v["type"];
  if (!type.exists()) r.fail(at.key("type"), "missing (text or image_url)");
  std::string name = r.string(type, at.key("type"));
  if (name == "text") {
    r.only(v, at, {"type", "text"}, "a text part");
    if (!v["text"].exists()) r.fail(at.key("text"), "missing");
    return TextPart{r.string(v["text"], at.key("text"))};
  }
  if (name == "image_url") {
    r.only(v, at, {"type", "image_url"}, "an image_url part");
    return image_part(r, v["image_url"], at.key("image_url"));
  }
  r.fail(at.key("type"), "unknown part type '" + name + "' (known: text, image_url)");
}

void read_content(const Reader& r, const json::Value& v, const Path& at, Message& m) {
  if (!v.exists() || v.is_null()) return;
  if (v.is_string()) {
    m.content = r.string(v, at);
    return;
  }
  r.array(v, at, "a string, null or an array of content parts");
  std::size_t i = 0;
  for (json::Value part : v.items()) m.parts.push_back(content_part(r, part, at.index(i++)));
}

ToolCall tool_call(const Reader& r, const json::Value& v, const Path& at, std::size_t index) {
  r.object(v, at, "a tool call object");
  r.only(v, at, {"id", "type", "function"}, "a tool call");
  ToolCall call;
  call.index = static_cast<std::int64_t>(index);
  if (!v["id"].exists()) r.fail(at.key("id"), "missing");
  call.id = r.string(v["id"], at.key("id"));
  if (auto type = r.optional_string(v, "type", at)) {
    if (*type != "function") r.fail(at.key("type"), "expected \"function\", got '" + *type + "'");
  }
  Path f = at.key("function");
  if (!v["function"].exists()) r.fail(f, "missing");
  json::Value function = v["function"];
  r.object(function, f, "an object with name and arguments");
  r.only(function, f, {"name", "arguments"}, "function");
  if (!function["name"].exists()) r.fail(f.key("name"), "missing");
  call.name = r.string(function["name"], f.key("name"));
  json::Value arguments = function["arguments"];
  if (!arguments.exists()) r.fail(f.key("arguments"), "missing (JSON text, \"{}\" for none)");
  if (arguments.is_object()) {
    // Written by hand as an object rather than the API's string: kept as its JSON text.
    call.arguments = std::string(arguments.raw());
  } else {
    call.arguments = r.string(arguments, f.key("arguments"));
  }
  return call;
}

ReasoningBlock reasoning_block(const Reader& r, const json::Value& v, const Path& at) {
  r.object(v, at, "a reasoning block object");
  r.only(v, at, {"text", "signature", "redacted"}, "a reasoning block");
  return {.text = r.optional_string(v, "text", at).value_or(""),
          .signature = r.optional_string(v, "signature", at).value_or(""),
          .redacted = r.optional_string(v, "redacted", at).value_or("")};
}

Message message(const Reader& r, const json::Value& v, const Path& at) {
  r.object(v, at, "a message object with role and content");
  r.only(v, at, {"role", "content", "name", "tool_call_id", "tool_calls", "reasoning"},
         "a message");
  Message m;
  if (!v["role"].exists() || v["role"].is_null()) r.fail(at.key("role"), "missing");
  m.role = r.string(v["role"], at.key("role"));
  if (m.role.empty()) r.fail(at.key("role"), "empty");
  read_content(r, v["content"], at.key("content"), m);
  m.name = r.optional_string(v, "name", at);
  m.tool_call_id = r.optional_string(v, "tool_call_id", at);
  if (json::Value calls = v["tool_calls"]; calls.exists() && !calls.is_null()) {
    Path p = at.key("tool_calls");
    r.array(calls, p, "an array of tool calls");
    std::size_t i = 0;
    for (json::Value call : calls.items()) {
      m.tool_calls.push_back(tool_call(r, call, p.index(i), i));
      ++i;
    }
  }
  if (json::Value blocks = v["reasoning"]; blocks.exists() && !blocks.is_null()) {
    Path p = at.key("reasoning");
    r.array(blocks, p, "an array of reasoning blocks");
    std::size_t i = 0;
    for (json::Value block : blocks.items())
      m.reasoning.push_back(reasoning_block(r, block, p.index(i++)));
  }
  return m;
}

// "invalid JSON at byte 42: expected ..." → its byte offset and the rest.
std::optional<std::size_t> byte_of(std::string_view error, std::string_view& rest) {
  constexpr std::string_view kAt = " at byte ";
  std::size_t at = error.find(kAt);
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t offset = 0;
  const char* first = error.data() + at + kAt.size();
  auto [end, ec] = std::from_chars(first, error.data() + error.size(), offset);
  if (ec != std::errc()) return std::nullopt;
  rest = std::string_view(end, static_cast<std::size_t>(error.data() + error.size() - end));
  if (!rest.empty() && rest.front() == ':') rest.remove_prefix(1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return offset;
}

}  // namespace

std::vector<Message> messages_from_json(const json::Value& array, std::string_view where) {
  Reader r(where);
  if (!array.is_array()) {
    throw Error(ErrorKind::bad_request, std::string(where) + ": expected a JSON array of messages");
  }
  std::vector<Message> messages;
  std::size_t i = 0;
  for (json::Value m : array.items()) messages.push_back(message(r, m, Path("").index(i++)));
  if (messages.empty()) {
    throw Error(ErrorKind::bad_request, std::string(where) + ": the array has no messages");
  }
  return messages;
}

std::vector<Message> parse_messages_json(std::string_view text, std::string_view where) {
  std::string error;
  std::optional<json::Document> doc = json::Document::try_parse(text, &error);
  if (!doc) {
    // Line and column, as an editor shows them: a byte offset is hard to find by hand.
    std::string_view rest;
    if (auto offset = byte_of(error, rest)) {
      TextPosition p = text_position(text, *offset);
      std::string what = error.rfind("JSON nested", 0) == 0
                             ? error.substr(0, error.find(" at byte "))
                             : "invalid JSON: " + std::string(rest);
      error =
          "line " + std::to_string(p.line) + ", column " + std::to_string(p.column) + ": " + what;
    }
    throw Error(ErrorKind::bad_request, std::string(where) + ": " + error);
  }
  return messages_from_json(doc->root(), where);
}

}  // namespace llmrt::core
