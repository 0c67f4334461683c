#pragma once

// Type-checked reads of RapidJSON values: provider JSON is untrusted, and RapidJSON asserts
// (or reads garbage) when a member is accessed with the wrong type.

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace llmrt::plugins::json {

// The member, or null when `object` is not an object or has no such member.
inline const rapidjson::Value* member(const rapidjson::Value& object, std::string_view key) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(rapidjson::Value(rapidjson::StringRef(key.data(), key.size())));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// The string member's text; empty when absent, null or not a string.
inline std::string_view string_member(const rapidjson::Value& object, std::string_view key) {
  const rapidjson::Value* v = member(object, key);
  if (v == nullptr || !v->IsString()) return {};
  return {v->GetString(), v->GetStringLength()};
}

inline long long integer_member(const rapidjson::Value& object, std::string_view key,
                                long long fallback = 0) {
  const rapidjson::Value* v = member(object, key);
  if (v == nullptr) return fallback;
  if (v->IsInt64()) return v->GetInt64();
  if (v->IsUint64()) return static_cast<long long>(v->GetUint64());
  if (v->IsDouble()) return static_cast<long long>(v->GetDouble());
  return fallback;
}

// A scalar as text: strings as they are, numbers in decimal, anything else empty. Providers send
// error codes as either ("rate_limit_exceeded", -20003).
inline std::string scalar_text(const rapidjson::Value* v) {
  if (v == nullptr) return {};
  if (v->IsString()) return {v->GetString(), v->GetStringLength()};
  if (v->IsInt64()) return std::to_string(v->GetInt64());
  if (v->IsUint64()) return std::to_string(v->GetUint64());
  if (v->IsDouble()) return std::to_string(v->GetDouble());
  return {};
}

// The first `max` bytes of a text for an error message, on one line.
std::string snippet(std::string_view text, std::size_t max = 200);

}  // namespace llmrt::plugins::json
