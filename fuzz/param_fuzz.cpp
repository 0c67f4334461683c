// The --param KEY=VALUE parser and the parameter checks on any lines.
#include <vector>

#include "fuzz_input.h"
#include "llmrt/core/param_overrides.h"
#include "llmrt/sdk/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> assignments;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    assignments.emplace_back(text.substr(start, nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  try {
    llmrt::core::ParamOverrides::parse_assignments(assignments).apply(llmrt::GenParams{});
  } catch (const llmrt::Error&) {
  }
  return 0;
}
