#include "llmrt/core/param_overrides.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <limits>
#include <utility>

#include "llmrt/core/tools_json.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/json_limits.h"

namespace llmrt::core {
namespace {

// Deeper nesting than the parser may recurse into: refused before any parse, by name, rather
// than taken for a plain string.
void check_nesting(std::string_view key, std::string_view json) {
  if (auto at = find_excess_nesting(json)) {
    throw Error(ErrorKind::bad_request, "parameter '" + std::string(key) +
                                            "' is JSON nested deeper than " +
                                            std::to_string(kMaxJsonDepth) + " levels (at byte " +
                                            std::to_string(*at) + ")");
  }
}

// Call only on text that passed check_nesting.
bool is_json(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  return !doc.HasParseError();
}

std::string quote(std::string_view text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  return {buffer.GetString(), buffer.GetSize()};
}

[[noreturn]] void wrong_type(const std::string& key, std::string_view expected,
                             const std::string& json) {
  throw Error(ErrorKind::bad_request,
              "parameter '" + key + "' must be " + std::string(expected) + ", got " + json);
}

long long as_integer(const rapidjson::Value& v, const std::string& key, const std::string& json) {
  if (v.IsInt64()) return v.GetInt64();
  if (v.IsDouble() && std::floor(v.GetDouble()) == v.GetDouble() &&
      std::fabs(v.GetDouble()) < 9e15) {
    return static_cast<long long>(v.GetDouble());
  }
  wrong_type(key, "an integer", json);
}

double as_number(const rapidjson::Value& v, const std::string& key, const std::string& json) {
  if (!v.IsNumber()) wrong_type(key, "a number", json);
  return v.GetDouble();
}

int as_int(const rapidjson::Value& v, const std::string& key, const std::string& json) {
  long long n = as_integer(v, key, json);
  if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max()) {
    wrong_type(key, "an integer in int range", json);
  }
  return static_cast<int>(n);
}

std::vector<std::string> as_strings(const rapidjson::Value& v, const std::string& key,
                                    const std::string& json) {
  // lagent accepts one stop word as a plain string.
  if (v.IsString()) return {std::string(v.GetString(), v.GetStringLength())};
  if (!v.IsArray()) wrong_type(key, "a string or an array of strings", json);
  std::vector<std::string> out;
  for (const rapidjson::Value& item : v.GetArray()) {
    if (!item.IsString()) wrong_type(key, "an array of strings", json);
    if (item.GetStringLength() == 0) wrong_type(key, "non-empty strings", json);
    out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return out;
}

void apply_one(GenParams& p, const std::string& key, const std::string& json) {
  // Applied on every call: parsed only for a parameter llmrt reads itself (an extra goes out
  // as it is), in buffers on the stack rather than the 64 KiB pool a Document allocates by
  // default. A pool keeps a chunk header in its buffer, so the parse stack asks for less than
  // its buffer holds; a value that outgrows the buffers takes 1 KiB chunks.
  constexpr std::size_t kOverflowChunk = 1024;
  constexpr std::size_t kStackBytes = 256;
  alignas(16) char values[1024];
  alignas(16) char stack[kStackBytes + 64];
  rapidjson::MemoryPoolAllocator<> value_allocator(values, sizeof values, kOverflowChunk);
  rapidjson::MemoryPoolAllocator<> stack_allocator(stack, sizeof stack, kOverflowChunk);
  rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                             rapidjson::MemoryPoolAllocator<>>
      doc(&value_allocator, kStackBytes, &stack_allocator);
  bool parsed = false;
  auto v = [&]() -> const rapidjson::Value& {
    if (!std::exchange(parsed, true)) doc.Parse(json.data(), json.size());
    return doc;
  };
  // Compared as a view: a literal's length is then known when compiling, and a name of another
  // length is passed over at once (a string's == with a literal measures it and compares bytes).
  const std::string_view name = key;
  // null unsets a parameter: the provider's own default applies.
  if (name == "max_new_tokens") {
    if (v().IsNull()) {
      p.max_new_tokens.reset();
    } else {
      p.max_new_tokens = as_int(v(), key, json);
      if (*p.max_new_tokens <= 0) wrong_type(key, "a positive integer", json);
    }
  } else if (name == "top_p") {
    if (v().IsNull()) {
      p.top_p.reset();
    } else {
      p.top_p = as_number(v(), key, json);
      if (*p.top_p < 0 || *p.top_p > 1) wrong_type(key, "a number from 0 to 1", json);
    }
  } else if (name == "temperature") {
    if (v().IsNull()) {
      p.temperature.reset();
    } else {
      p.temperature = as_number(v(), key, json);
      if (*p.temperature < 0) wrong_type(key, "a non-negative number", json);
    }
  } else if (name == "repetition_penalty") {
    if (v().IsNull()) {
      p.repetition_penalty.reset();
    } else {
      p.repetition_penalty = as_number(v(), key, json);
    }
  } else if (name == "top_k") {
    if (v().IsNull()) {
      p.top_k.reset();
    } else {
      p.top_k = as_int(v(), key, json);
    }
  } else if (name == "stop_words") {
    p.stop_words = v().IsNull() ? std::vector<std::string>{} : as_strings(v(), key, json);
  } else if (name == "seed") {
    if (v().IsNull()) {
      p.seed.reset();
    } else {
      p.seed = as_integer(v(), key, json);
    }
  } else if (name == "tools") {
    // OpenAI's shape, rendered by each plugin in its API's.
    p.tools = parse_tools_json(json, "parameter 'tools'");
  } else if (name == "tool_choice") {
    p.tool_choice = parse_tool_choice_json(json, "parameter 'tool_choice'");
  } else if (name == "json_mode") {
    if (!v().IsBool()) wrong_type(key, "true or false", json);
    p.json_mode = v().GetBool();
  } else {
    p.extras[key] = json;
  }
}

}  // namespace

ParamOverrides& ParamOverrides::set_json(std::string key, std::string json) {
  if (key.empty()) throw Error(ErrorKind::bad_request, "parameter with an empty name");
  check_nesting(key, json);
  if (!is_json(json)) {
    throw Error(ErrorKind::bad_request, "parameter '" + key + "' is not valid JSON: " + json);
  }
  values_[std::move(key)] = std::move(json);
  return *this;
}

ParamOverrides& ParamOverrides::set(std::string key, double value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.Double(value);
  return set_json(std::move(key), buffer.GetString());
}

ParamOverrides& ParamOverrides::set(std::string key, long long value) {
  return set_json(std::move(key), std::to_string(value));
}

ParamOverrides& ParamOverrides::set(std::string key, bool value) {
  return set_json(std::move(key), value ? "true" : "false");
}

ParamOverrides& ParamOverrides::set(std::string key, std::string_view value) {
  return set_json(std::move(key), quote(value));
}

ParamOverrides& ParamOverrides::set(std::string key, const std::vector<std::string>& values) {
  std::string json = "[";
  for (const std::string& v : values) {
    // Appended piece by piece: `"," + quote(v)` trips GCC 12's false -Wrestrict at -O3.
    if (json.size() > 1) json += ',';
    json += quote(v);
  }
  json += "]";
  return set_json(std::move(key), std::move(json));
}

ParamOverrides ParamOverrides::parse_assignments(const std::vector<std::string>& assignments) {
  ParamOverrides overrides;
  for (const std::string& a : assignments) {
    std::size_t eq = a.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw Error(ErrorKind::bad_request, "--param '" + a + "' must be KEY=VALUE");
    }
    std::string key = a.substr(0, eq);
    std::string value = a.substr(eq + 1);
    check_nesting(key, value);
    if (is_json(value)) {
      overrides.set_json(std::move(key), std::move(value));
    } else {
      overrides.set(std::move(key), std::string_view(value));
    }
  }
  return overrides;
}

GenParams ParamOverrides::apply(GenParams base) const {
  for (const auto& [key, json] : values_) apply_one(base, key, json);
  return base;
}

}  // namespace llmrt::core
