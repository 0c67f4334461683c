#include "tokenizer/rank_file_locator.h"

#include <boost/dll/runtime_symbol_info.hpp>

#include "install_dirs.h"
#include "llmrt/core/tokenizer.h"
#include "llmrt/sdk/error.h"
#include "plugins/search_path.h"

namespace fs = std::filesystem;

namespace llmrt::core {

std::vector<fs::path> tokenizer_search_path() {
  std::vector<fs::path> dirs = folders_from_env("LLMRT_TOKENIZER_PATH");
  std::error_code ec;
  const fs::path core_library = boost::dll::this_line_location(ec).native();
  if (!ec) dirs.push_back(core_library.parent_path() / kTokenizerDirFromLibDir);
  const fs::path program = boost::dll::program_location(ec).native();
  if (!ec) dirs.push_back(program.parent_path().parent_path() / kTokenizerDirBelowPrefix);
  dirs.emplace_back(kInstalledTokenizerDir);
  return unique_folders(dirs);
}

namespace tokenizer {

fs::path find_rank_file(std::string_view encoding) {
  const std::string file_name = std::string(encoding) + ".tiktoken";
  std::string looked;
  for (const fs::path& dir : tokenizer_search_path()) {
    std::error_code ec;
    fs::path candidate = dir / file_name;
    if (fs::is_regular_file(candidate, ec)) return candidate;
    looked += (looked.empty() ? "" : ", ") + dir.string();
  }
  throw Error(ErrorKind::not_found,
              "tokenizer " + std::string(encoding) + ": the rank file " + file_name +
                  " is in none of: " + looked +
                  ". scripts/setup.sh makes it from the npm tiktoken package (into the build "
                  "tree's share/llmrt/tokenizers); or set LLMRT_TOKENIZER_PATH to a folder "
                  "that holds it");
}

}  // namespace tokenizer
}  // namespace llmrt::core
