#include "llmrt/plugins/openai_compat/malformed.h"

#include "llmrt/sdk/error.h"

namespace llmrt::plugins::openai_compat {

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
