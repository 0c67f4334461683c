#include "llmrt/sdk/http.h"

#include <algorithm>
#include <cctype>

namespace llmrt {

std::string request_id_from(const HttpHeaders& headers) {
  for (std::string_view name : {"x-request-id", "request-id"}) {
    if (const std::string* id = find_header(headers, name)) return *id;
  }
  return {};
}

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
  // A query (Azure's "?api-version=…") stays after the path; a fragment, which never goes on
  // the wire, is dropped, so that what a plugin adds to the query does not land after it.
  api_base = api_base.substr(0, std::min(api_base.find('#'), api_base.size()));
  const std::size_t query_at = std::min(api_base.find('?'), api_base.size());
  std::string_view query = api_base.substr(query_at);
  api_base = api_base.substr(0, query_at);
  while (!api_base.empty() && api_base.back() == '/') api_base.remove_suffix(1);
  const bool add_path =
      api_base.size() < path.size() || api_base.substr(api_base.size() - path.size()) != path;
  std::string url;
  url.reserve(api_base.size() + (add_path ? 1 + path.size() : 0) + query.size());  // one allocation
  url += api_base;
  if (add_path) {
    url += '/';
    url += path;
  }
  url += query;
  return url;
}

}  // namespace llmrt
