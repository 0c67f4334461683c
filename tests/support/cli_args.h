#pragma once

#include <string>
#include <vector>

namespace llmrt::test {

// `llmrt chat` against a mock server's OpenAI route with a throwaway key and no retries, then
// `extra`.
inline std::vector<std::string> chat_argv(const std::string& cli, const std::string& base_url,
                                          const std::vector<std::string>& extra) {
  std::vector<std::string> argv{cli,       "chat", "--provider", "openai",
                                "--model", "m",    "--api-base", base_url + "/v1",
                                "--key",   "k",    "--retry",    "0"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

}  // namespace llmrt::test
