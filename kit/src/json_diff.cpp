#include "json_diff.h"

namespace llmrt::kit {
namespace {

std::string shown(json::Value v) {
  if (!v.exists()) return "nothing";
  std::string text(v.raw());
  constexpr std::size_t kLimit = 200;  // enough to recognise it; the file has the rest
  return text.size() > kLimit ? text.substr(0, kLimit) + "…" : text;
}

std::string at(const std::string& path, const std::string& step) {
  if (path.empty()) return step;
  return step.front() == '[' ? path + step : path + "." + step;
}

}  // namespace

std::optional<std::string> json_difference(json::Value expected, json::Value got,
                                           const std::string& path) {
  const std::string where = path.empty() ? "(top)" : path;
  auto differ = [&] { return where + ": expected " + shown(expected) + ", got " + shown(got); };
  if (expected.type() != got.type()) return differ();
  switch (expected.type()) {
    case json::Type::number:
      if (expected.as_double() != got.as_double()) return differ();
      return std::nullopt;
    case json::Type::string:
      if (expected.str() != got.str()) return differ();
      return std::nullopt;
    case json::Type::boolean:
      if (expected.as_bool() != got.as_bool()) return differ();
      return std::nullopt;
    case json::Type::array: {
      // Appended, not `"[" + std::to_string(i)`: GCC 12's false -Wrestrict at -O3 (bug 105651).
      auto index = [](std::size_t i) {
        std::string text = "[";
        text += std::to_string(i);
        text += ']';
        return text;
      };
      std::size_t i = 0;
      auto g = got.items().begin();
      for (json::Value item : expected.items()) {
        if (g == got.items().end()) return at(path, index(i)) + ": missing";
        if (auto d = json_difference(item, *g, at(path, index(i)))) return d;
        ++g;
        ++i;
      }
      if (g != got.items().end()) {
        return at(path, index(i)) + ": unexpected " + shown(*g);
      }
      return std::nullopt;
    }
    case json::Type::object:
      for (auto [key, value] : expected.members()) {
        if (auto d = json_difference(value, got[key], at(path, std::string(key)))) return d;
      }
      for (auto [key, value] : got.members()) {
        if (!expected[key].exists()) {
          return at(path, std::string(key)) + ": unexpected member, " + shown(value);
        }
      }
      return std::nullopt;
    default:
      return std::nullopt;  // null == null
  }
}

}  // namespace llmrt::kit
