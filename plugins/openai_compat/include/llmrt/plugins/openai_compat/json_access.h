#pragma once

// Type-checked reads of RapidJSON values: provider JSON is untrusted, and RapidJSON asserts
// (or reads garbage) when a member is accessed with the wrong type.

#include <rapidjson/document.h>

#include <cmath>
#include <optional>
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

// A number as a 64-bit integer: integers as they are, doubles only when whole and in range (not
// the 1e308 a clamped 1e400 reads as). Null for anything else.
inline std::optional<long long> as_int64(const rapidjson::Value& v) {
  if (v.IsInt64()) return v.GetInt64();
  if (v.IsDouble()) {
    double d = v.GetDouble();
    // 2^63 is exact as a double; NaN fails every comparison.
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 && d == std::floor(d)) {
      return static_cast<long long>(d);
    }
  }
  return std::nullopt;
}

// The member as a 64-bit integer; `fallback` when absent or anything else.
inline long long integer_member(const rapidjson::Value& object, std::string_view key,
                                long long fallback = 0) {
  const rapidjson::Value* v = member(object, key);
  return v == nullptr ? fallback : as_int64(*v).value_or(fallback);
}

// A token count: a whole number from 0 to 2^63-1, else null. A count that does not fit (1e400,
// 2^64, -1) is ignored rather than failing a reply that is otherwise whole.
inline std::optional<long long> count_member(const rapidjson::Value& object, std::string_view key) {
  const rapidjson::Value* v = member(object, key);
  std::optional<long long> n = v == nullptr ? std::nullopt : as_int64(*v);
  return n && *n >= 0 ? n : std::nullopt;
}

// A tool call's `index`: `fallback` when absent or null, the number when it is a 64-bit integer
// (negative ones included: they are kept apart from the others). Throws Error (protocol) for
// anything else — 2^63, 1.5, "0" — rather than merging that call into another.
long long tool_call_index(const rapidjson::Value& call, long long fallback);

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
