#include "llmrt/plugins/openai_compat/scanner_reads.h"

namespace llmrt::plugins::openai_compat {

void read_string_or_empty(json::Scanner& s, std::string& to) {
  if (std::optional<std::string_view> text = s.string()) {
    to.assign(*text);
  } else {
    to.clear();
  }
}

bool read_tool_index(json::Scanner& s, std::int64_t if_null, std::int64_t& index) {
  if (s.peek() == json::Type::null) {
    index = if_null;
    return s.skip();
  }
  const std::optional<long long> n = s.int64();
  if (n) index = *n;
  return n.has_value();
}

bool read_function(json::Scanner& s, std::string& name, std::string& arguments) {
  name.clear();
  arguments.clear();
  if (s.peek() != json::Type::object) return s.skip();
  s.enter_object();
  std::string_view member;
  while (s.next_member(member)) {
    if (member == "name") {
      read_string_or_empty(s, name);
    } else if (member == "arguments") {
      read_string_or_empty(s, arguments);
    } else if (!s.skip()) {
      return false;
    }
  }
  return s.ok();
}

}  // namespace llmrt::plugins::openai_compat
