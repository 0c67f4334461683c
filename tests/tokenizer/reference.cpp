#include "tokenizer/reference.h"

#include <gtest/gtest.h>

#include <sstream>

#include "support/run_process.h"

namespace llmrt::test {
namespace {

std::vector<core::TokenId> ids_of(const std::string& text) {
  std::vector<core::TokenId> ids;
  std::istringstream in(text);
  for (core::TokenId id = 0; in >> id;) ids.push_back(id);
  return ids;
}

}  // namespace

std::vector<ReferenceAnswer> reference_answers(const std::string& encoding,
                                               const std::vector<CorpusText>& texts) {
  std::string input;
  for (const CorpusText& text : texts) input += to_base64(text.bytes) + "\n";
  const ProcessResult result =
      run_process({LLMRT_TEST_NODE, LLMRT_TEST_SOURCE_DIR "/tests/tokenizer/reference_tokens.mjs",
                   LLMRT_TEST_TIKTOKEN_PACKAGE, encoding},
                  input);
  if (result.exit_code != 0) {
    ADD_FAILURE() << "the reference tokenizer failed (" << result.exit_code << "): " << result.err;
    return {};
  }
  std::vector<ReferenceAnswer> answers;
  for (const std::string& line : lines_of(result.out)) {
    const std::size_t first = line.find(';');
    const std::size_t second = line.find(';', first + 1);
    answers.push_back({ids_of(line.substr(0, first)),
                       ids_of(line.substr(first + 1, second - first - 1)),
                       line.substr(second + 1) == "reject"});
  }
  return answers;
}

}  // namespace llmrt::test
