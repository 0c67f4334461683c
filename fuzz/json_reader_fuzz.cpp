// The SDK's JSON reader and writer on arbitrary bytes: parsing returns a Document or an error,
// never anything worse; every read of every value is safe; a Document written out again with
// JsonWriter parses back to the same structure, and writing that gives the same text.
#include <string>

#include "fuzz_input.h"
#include "llmrt/sdk/json.h"
#include "llmrt/sdk/json_writer.h"

namespace {

using llmrt::json::Document;
using llmrt::json::JsonWriter;
using llmrt::json::Type;
using llmrt::json::Value;

// Depth is bounded by the parse (kMaxJsonDepth): recursion is safe here.
void write(const Value& v, JsonWriter& w) {
  switch (v.type()) {
    case Type::absent:
      llmrt::fuzz::broken_promise();
    case Type::null:
      w.null();
      break;
    case Type::boolean:
      w.boolean(*v.as_bool());
      break;
    case Type::number:
      if (auto n = v.as_int64(); n && v.raw().find_first_of(".eE") == std::string_view::npos) {
        w.number(*n);
      } else {
        w.number(*v.as_double());
      }
      break;
    case Type::string:
      w.string(v.str());
      break;
    case Type::array:
      w.begin_array();
      for (Value item : v.items()) write(item, w);
      w.end_array();
      break;
    case Type::object:
      w.begin_object();
      for (const auto& [key, value] : v.members()) {
        w.key(key);
        write(value, w);
      }
      w.end_object();
      break;
  }
}

std::string written(std::string_view s) {
  JsonWriter w;
  w.string(s);
  return w.take();
}

// `b` is `a` written and read again: the same types, sizes, numbers and (repaired) strings.
void check_same(const Value& a, const Value& b) {
  if (a.type() != b.type() || a.size() != b.size()) llmrt::fuzz::broken_promise();
  switch (a.type()) {
    case Type::boolean:
      if (a.as_bool() != b.as_bool()) llmrt::fuzz::broken_promise();
      break;
    case Type::number:
      if (a.as_double() != b.as_double()) llmrt::fuzz::broken_promise();
      // (Not the other way: -9223372036854775809 is no int64, the double it reads as is.)
      if (a.as_int64() && a.as_int64() != b.as_int64()) llmrt::fuzz::broken_promise();
      break;
    case Type::string:
      if (written(a.str()) != written(b.str())) llmrt::fuzz::broken_promise();
      break;
    case Type::array: {
      auto j = b.items().begin();
      for (Value item : a.items()) check_same(item, *j++);
      if (j != b.items().end()) llmrt::fuzz::broken_promise();
      break;
    }
    case Type::object: {
      auto j = b.members().begin();
      for (const auto& [key, value] : a.members()) {
        const llmrt::json::Member other = *j++;
        if (written(key) != written(other.key)) llmrt::fuzz::broken_promise();
        check_same(value, other.value);
      }
      if (j != b.members().end()) llmrt::fuzz::broken_promise();
      // A lookup finds a member (the last of its name).
      for (const auto& [key, value] : a.members()) {
        if (!a[key].exists()) llmrt::fuzz::broken_promise();
      }
      break;
    }
    default:
      break;
  }
  // Every read is safe on every value.
  (void)a.raw();
  (void)a.text();
  (void)a.as_count();
  (void)a.as_string();
  (void)a[0];
  (void)a["x"];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string error;
  std::optional<Document> doc = Document::try_parse(text, &error);
  if (!doc) {
    if (error.empty()) llmrt::fuzz::broken_promise();
    return 0;
  }
  JsonWriter first;
  write(doc->root(), first);
  const std::string text1 = first.take();
  std::optional<Document> again = Document::try_parse(text1, &error);
  if (!again) llmrt::fuzz::broken_promise();
  check_same(doc->root(), again->root());
  JsonWriter second;
  write(again->root(), second);
  if (second.take() != text1) llmrt::fuzz::broken_promise();
  return 0;
}
