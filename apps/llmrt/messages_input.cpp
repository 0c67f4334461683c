#include "messages_input.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "llmrt/core/utf8.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/json_limits.h"
#include "local_input.h"

namespace llmrt::cli {
namespace {

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw Error(ErrorKind::bad_request, where + ": " + what);
}

std::optional<std::string> optional_string(const rapidjson::Value& m, const char* key,
                                           const std::string& source, const std::string& where) {
  auto it = m.FindMember(key);
  if (it == m.MemberEnd() || it->value.IsNull()) return std::nullopt;
  if (!it->value.IsString()) bad(source, where + "." + key + ": expected a string");
  std::string text(it->value.GetString(), it->value.GetStringLength());
  // Refused here, with where it is, rather than sent in a body that is not JSON.
  if (auto at = core::find_invalid_utf8(text)) {
    bad(source, where + "." + key + ": invalid UTF-8 at byte " + std::to_string(*at));
  }
  return text;
}

}  // namespace

std::string read_input(const std::string& source) { return read_local_input(source); }

std::vector<Message> messages_from_json(const rapidjson::Value& doc, const std::string& source) {
  if (!doc.IsArray()) bad(source, "expected a JSON array of messages");
  std::vector<Message> messages;
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    const rapidjson::Value& m = doc[i];
    // Appended, not `"[" + std::to_string(i)`: GCC 12's false -Wrestrict at -O3 (bug 105651).
    std::string where = "[";
    where += std::to_string(i);
    where += ']';
    if (!m.IsObject()) bad(source, where + ": expected an object with role and content");
    Message message;
    auto role = optional_string(m, "role", source, where);
    if (!role) bad(source, where + ".role: missing");
    message.role = *role;
    message.content = optional_string(m, "content", source, where).value_or("");
    message.name = optional_string(m, "name", source, where);
    message.tool_call_id = optional_string(m, "tool_call_id", source, where);
    messages.push_back(std::move(message));
  }
  if (messages.empty()) bad(source, "the array has no messages");
  return messages;
}

std::vector<Message> read_messages(const std::string& source) {
  std::string text = read_input(source);
  if (auto at = find_excess_nesting(text)) {
    TextPosition p = text_position(text, *at);
    bad("messages " + source, "line " + std::to_string(p.line) + ", column " +
                                  std::to_string(p.column) + ": JSON nested deeper than " +
                                  std::to_string(kMaxJsonDepth) + " levels");
  }
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    // Line and column, as an editor shows them: a byte offset is hard to find by hand.
    TextPosition p = text_position(text, doc.GetErrorOffset());
    bad("messages " + source,
        "line " + std::to_string(p.line) + ", column " + std::to_string(p.column) +
            ": invalid JSON: " + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  return messages_from_json(doc, "messages " + source);
}

}  // namespace llmrt::cli
