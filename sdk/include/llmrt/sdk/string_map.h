#pragma once

// Lookups by a string_view in the value types' string maps (ChatRequest::options,
// GenParams::extras). Their std::less<std::string> only compares strings, so map::find would
// build one for every name a plugin asks about, on every request; these maps hold a few entries,
// which a scan reads faster. A big one (a careless caller's) is searched. (The maps keep their
// type: plugins and hosts are built against it.)

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace llmrt {

// The value under `key`, or null when there is none.
inline const std::string* find_entry(const std::map<std::string, std::string>& map,
                                     std::string_view key) {
  constexpr std::size_t kMostScanned = 8;
  if (map.size() > kMostScanned) {
    auto it = map.find(std::string(key));
    return it == map.end() ? nullptr : &it->second;
  }
  for (const auto& [name, value] : map) {
    if (name == key) return &value;
  }
  return nullptr;
}

inline bool has_entry(const std::map<std::string, std::string>& map, std::string_view key) {
  return find_entry(map, key) != nullptr;
}

}  // namespace llmrt
