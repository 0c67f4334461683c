#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <string>
#include <string_view>

#include "llmrt/core/utf8.h"
#include "llmrt/sdk/chat_result.h"

// The JSON pieces both batch formats (llmrt's records, OpenAI's batch lines) read and write.
namespace llmrt::cli::batch_json {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Text from a server may hold bytes that are not UTF-8: U+FFFD instead keeps the line JSON.
inline void str(Writer& w, std::string_view s) {
  const std::string valid = core::repair_utf8(s);
  w.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}

// llmrt's own members of a response: the model that served it (ChatResult::served_by) and its
// cost, each when known.
inline void served_by_and_cost(Writer& w, const ChatResult& r) {
  if (!r.served_by.empty()) {
    w.Key("model");
    str(w, r.served_by);
  }
  // A checked price keeps every cost finite; one that is not (an embedder's own result) is left
  // out, as a cost unknown: Double() would leave the line without a value.
  if (r.cost && std::isfinite(*r.cost)) {
    w.Key("cost");
    w.Double(*r.cost);
  }
}

inline std::string string_of(const rapidjson::Value& v) {  // whole: a NUL is part of the string
  return {v.GetString(), v.GetStringLength()};
}

inline std::string json_of(const rapidjson::Value& v) {
  rapidjson::StringBuffer b;
  Writer w(b);
  v.Accept(w);
  return {b.GetString(), b.GetSize()};
}

}  // namespace llmrt::cli::batch_json
