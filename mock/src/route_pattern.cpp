#include "route_pattern.h"

namespace llmrt::mock {

bool path_matches(std::string_view pattern, std::string_view path) {
  while (!pattern.empty()) {
    if (pattern.front() != '{') {
      if (path.empty() || path.front() != pattern.front()) return false;
      pattern.remove_prefix(1);
      path.remove_prefix(1);
      continue;
    }
    std::size_t close = pattern.find('}');
    if (close == std::string_view::npos) return false;  // a malformed pattern matches nothing
    pattern.remove_prefix(close + 1);
    std::size_t taken = 0;
    while (taken < path.size() && path[taken] != '/' && path[taken] != ':') ++taken;
    if (taken == 0) return false;
    path.remove_prefix(taken);
  }
  return path.empty();
}

}  // namespace llmrt::mock
