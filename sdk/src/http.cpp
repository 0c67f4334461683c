#include "llmrt/sdk/http.h"

#include <algorithm>
#include <cctype>

namespace llmrt {

const std::string* find_header(const HttpHeaders& headers, std::string_view name) {
  auto same = [name](const std::string& candidate) {
    return std::equal(
        candidate.begin(), candidate.end(), name.begin(), name.end(),
        [](unsigned char a, unsigned char b) { return std::tolower(a) == std::tolower(b); });
  };
  for (const auto& [key, value] : headers) {
    if (same(key)) return &value;
  }
  return nullptr;
}

}  // namespace llmrt

namespace llmrt {

std::string resolve_endpoint(std::string_view api_base, std::string_view path) {
  while (!api_base.empty() && api_base.back() == '/') api_base.remove_suffix(1);
  if (api_base.size() >= path.size() && api_base.substr(api_base.size() - path.size()) == path) {
    return std::string(api_base);
  }
  std::string url(api_base);
  url += '/';
  url += path;
  return url;
}

}  // namespace llmrt
