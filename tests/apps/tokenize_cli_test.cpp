// `llmrt tokenize` as a user runs it: offline, rank files found from the installed layout.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "support/run_process.h"

namespace llmrt {
namespace {

using test::run_process;

std::vector<std::string> tokenize(std::vector<std::string> args) {
  args.insert(args.begin(), {LLMRT_TEST_CLI, "tokenize"});
  return args;
}

TEST(TokenizeCli, IdsCountsAndDecoding) {
  auto r = run_process(tokenize({"--model", "gpt-4o", "hello world"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "24912 2375\n");
  r = run_process(tokenize({"--model", "gpt-4-0613", "--count", "-"}), "hello world");
  EXPECT_EQ(r.out, "2\n");
  r = run_process(tokenize({"--encoding", "cl100k_base", "--decode", "[15339, 1917]"}));
  EXPECT_EQ(r.out, "hello world");
}

TEST(TokenizeCli, StdinIsBytesAndInvalidUtf8IsReplacedAsTiktokenDoes) {
  const std::string bytes = "caf\xC3\xA9 \xE4\xBD\xA0\xE5\xA5\xBD \x80\xFF end";
  auto r = run_process(tokenize({"--model", "gpt-4o"}), bytes);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto back = run_process(tokenize({"--model", "gpt-4o", "--decode"}), r.out);
  EXPECT_EQ(back.out, "caf\xC3\xA9 \xE4\xBD\xA0\xE5\xA5\xBD \xEF\xBF\xBD\xEF\xBF\xBD end");
}

TEST(TokenizeCli, SpecialTokensAndErrorsExitTwoWithAReason) {
  auto r = run_process(tokenize({"--model", "gpt-4o", "--special", "reject", "a <|endoftext|>"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("special token <|endoftext|> at byte 2"), std::string::npos) << r.err;
  r = run_process(tokenize({"--model", "gpt-4o", "--special", "allow", "a <|endoftext|>"}));
  EXPECT_EQ(r.out, "64 220 199999\n");
  r = run_process(tokenize({"--model", "gpt-4o", "--special", "text", "--count", "<|endoftext|>"}));
  EXPECT_EQ(r.out, "7\n");
  r = run_process(tokenize({"--model", "qwen-max", "hi"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no known encoding for the model \"qwen-max\""), std::string::npos);
  r = run_process(tokenize({"--encoding", "cl100k_base", "--decode", "15339 x"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("\"x\" (field 2) is not a token id"), std::string::npos) << r.err;
  r = run_process(tokenize({"hi"}));
  EXPECT_EQ(r.exit_code, 2);
}

TEST(TokenizeCli, ChatMessagesCountAsOpenAICountsThem) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("llmrt_tokenize_" + std::to_string(::getpid()) + ".json");
  std::ofstream(file) << R"([{"role":"system","content":"You are terse."},
                            {"role":"user","content":"Hi!","name":"ann"}])";
  auto r = run_process(tokenize({"--model", "gpt-4o", "--messages", file.string()}));
  std::filesystem::remove(file);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // (3 + system 1 + "You are terse." 4) + (3 + user 1 + "Hi!" 2 + name 1 + "ann" 1) + 3.
  EXPECT_EQ(r.out, "19\n");
}

TEST(TokenizeCli, AMissingRankFileNamesWhereItLooked) {
  // The program and its core library copied to a prefix of their own that has no rank files.
  const auto prefix = std::filesystem::temp_directory_path() /
                      ("llmrt_tokenize_prefix_" + std::to_string(::getpid()));
  const std::filesystem::path cli = LLMRT_TEST_CLI;
  std::filesystem::create_directories(prefix / "bin");
  std::filesystem::create_directories(prefix / "lib");
  std::filesystem::create_directories(prefix / "empty");
  std::filesystem::copy_file(cli, prefix / "bin" / "llmrt");
  std::filesystem::copy(cli.parent_path().parent_path() / "lib" / "libllmrt_core.so.0",
                        prefix / "lib" / "libllmrt_core.so.0");
  auto r =
      run_process({"/usr/bin/env", "LD_LIBRARY_PATH=" + (prefix / "lib").string(),
                   "LLMRT_TOKENIZER_PATH=" + (prefix / "empty").string(),
                   (prefix / "bin" / "llmrt").string(), "tokenize", "--model", "gpt-4o", "hi"});
  std::filesystem::remove_all(prefix);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(
      r.err.find("the rank file o200k_base.tiktoken is in none of: " + (prefix / "empty").string() +
                 ", " + (prefix / "share" / "llmrt" / "tokenizers").string()),
      std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("set LLMRT_TOKENIZER_PATH"), std::string::npos);
}

}  // namespace
}  // namespace llmrt
