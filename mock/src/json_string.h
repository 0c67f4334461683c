#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace llmrt::mock {

// A string value in a reply the protocols write (bytes as they are: a test may send any).
inline void str(rapidjson::Writer<rapidjson::StringBuffer>& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// A member of an object, or nullptr when `v` is no object or has no such member.
inline const rapidjson::Value* member(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject()) return nullptr;
  auto it = v.FindMember(key);
  return it == v.MemberEnd() ? nullptr : &it->value;
}

// `{"error": ERROR}`: how Gemini and Ollama wrap an error object (JSON text) in a reply or line.
inline std::string error_object(std::string_view error) {
  std::string text = "{\"error\":";
  text.append(error).append("}");
  return text;
}

}  // namespace llmrt::mock
