#include "llmrt/plugins/openai_compat/json_access.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "llmrt/sdk/error.h"

namespace llmrt::plugins::json {

std::string snippet(std::string_view text, std::size_t max) {
  std::string out;
  out.reserve(std::min(text.size(), max));
  bool space = false;
  for (char c : text) {
    if (out.size() >= max) {
      out += "…";
      break;
    }
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

long long tool_call_index(const rapidjson::Value& call, long long fallback) {
  const rapidjson::Value* v = member(call, "index");
  if (v == nullptr || v->IsNull()) return fallback;
  if (auto n = as_int64(*v)) return *n;
  rapidjson::StringBuffer text;
  rapidjson::Writer<rapidjson::StringBuffer> w(text);
  v->Accept(w);  // depth-bounded by the parse, and a number or a string here anyway
  throw Error(ErrorKind::protocol, "tool call index is not a 64-bit integer: " +
                                       snippet({text.GetString(), text.GetSize()}, 60));
}

}  // namespace llmrt::plugins::json
