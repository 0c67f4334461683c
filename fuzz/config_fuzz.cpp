// The configuration loader on any text: a configuration or llmrt::Error naming the file.
#include "fuzz_input.h"
#include "llmrt/core/config.h"
#include "llmrt/sdk/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    llmrt::core::parse_config(text, "fuzz.json", "/tmp");
  } catch (const llmrt::Error& e) {
    if (std::string_view(e.what()).find("fuzz.json") == std::string_view::npos) {
      llmrt::fuzz::broken_promise();  // every error names the file
    }
  }
  return 0;
}
