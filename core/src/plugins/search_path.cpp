#include "plugins/search_path.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace fs = std::filesystem;

namespace llmrt::core {

std::vector<fs::path> folders_from_env(const char* variable) {
  std::vector<fs::path> folders;
  const char* value = std::getenv(variable);
  if (value == nullptr) return folders;
  std::string_view rest(value);
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::string_view item = rest.substr(0, colon);
    if (!item.empty()) folders.emplace_back(item);
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return folders;
}

std::vector<fs::path> unique_folders(const std::vector<fs::path>& folders) {
  std::vector<fs::path> unique;
  for (const fs::path& folder : folders) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(folder, ec);
    const fs::path& key = ec ? folder : canonical;
    if (std::find(unique.begin(), unique.end(), key) == unique.end()) unique.push_back(key);
  }
  return unique;
}

}  // namespace llmrt::core
