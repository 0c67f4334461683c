#include "llmrt/plugins/openai_compat/malformed.h"

#include "llmrt/sdk/error.h"

namespace llmrt::plugins::openai_compat {

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

json::Value parse_object(json::Document& doc, std::string_view text, std::string_view what) {
  std::string why;
  if (doc.reparse(text, &why) && !doc.root().is_object()) why = "not a JSON object";
  if (!why.empty()) {
    throw Error(ErrorKind::protocol,
                "malformed " + std::string(what) + " (" + why + "): '" + snippet(text) + "'");
  }
  return doc.root();
}

}  // namespace llmrt::plugins::openai_compat
