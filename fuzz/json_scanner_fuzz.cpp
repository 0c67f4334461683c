// json::Scanner against json::Document on arbitrary bytes, at a depth limit the input picks:
// both accept the same texts, and a text read whole with the scanner gives the same members,
// strings and integers as the tree; skipping the root value accepts what the walk accepts.
#include <string>

#include "fuzz_input.h"
#include "llmrt/sdk/json.h"
#include "llmrt/sdk/json_scanner.h"

namespace {

using llmrt::json::Document;
using llmrt::json::Scanner;
using llmrt::json::Type;
using llmrt::json::Value;

void put_string(std::string& out, std::string_view s) {
  out += 's' + std::to_string(s.size()) + ':';
  out += s;
}

void put_number(std::string& out, std::optional<long long> n) {
  out += n ? 'i' + std::to_string(*n) : std::string("n");
}

// Depth is bounded by the limit the input picks (at most 64 here): recursion is safe.
void canonical(const Value& v, std::string& out) {
  switch (v.type()) {
    case Type::object:
      out += '{';
      for (const auto& [key, value] : v.members()) {
        put_string(out, key);
        canonical(value, out);
      }
      out += '}';
      break;
    case Type::array:
      out += '[';
      for (Value item : v.items()) canonical(item, out);
      out += ']';
      break;
    case Type::string:
      put_string(out, v.str());
      break;
    case Type::number:
      put_number(out, v.as_int64());
      break;
    case Type::boolean:
      out += 'b';
      break;
    case Type::null:
      out += 'z';
      break;
    case Type::absent:
      llmrt::fuzz::broken_promise();
  }
}

bool canonical(Scanner& s, std::string& out) {
  switch (s.peek()) {
    case Type::object: {
      if (!s.enter_object()) return false;
      out += '{';
      std::string_view name;
      while (s.next_member(name)) {
        put_string(out, name);
        if (!canonical(s, out)) return false;
      }
      out += '}';
      return s.ok();
    }
    case Type::array:
      if (!s.enter_array()) return false;
      out += '[';
      while (s.next_item()) {
        if (!canonical(s, out)) return false;
      }
      out += ']';
      return s.ok();
    case Type::string: {
      std::optional<std::string_view> text = s.string();
      if (!text) return false;
      put_string(out, *text);
      return true;
    }
    case Type::number: {
      std::optional<long long> n = s.int64();
      if (!s.ok()) return false;
      put_number(out, n);
      return true;
    }
    case Type::boolean:
      out += 'b';
      return s.skip();
    case Type::null:
      out += 'z';
      return s.skip();
    case Type::absent:
      return false;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  llmrt::fuzz::Input in(data, size);
  const std::uint8_t choice = in.byte();
  const llmrt::json::ParseLimits limits{.max_depth = 1u + (choice & 63u)};
  const std::string_view text = in.rest();
  std::optional<Document> doc = Document::try_parse(text, nullptr, limits);

  Scanner skipper(text, limits);
  const bool skipped = skipper.skip() && skipper.finish();
  if (skipped != doc.has_value()) llmrt::fuzz::broken_promise();

  Scanner walker(text, limits);
  std::string walked;
  const bool read = canonical(walker, walked) && walker.finish();
  if (read != doc.has_value()) llmrt::fuzz::broken_promise();
  if (doc) {
    std::string expected;
    canonical(doc->root(), expected);
    if (walked != expected) llmrt::fuzz::broken_promise();
  }
  return 0;
}
