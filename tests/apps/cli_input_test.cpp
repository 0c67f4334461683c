// Local inputs the CLI reads (messages files, stdin, prompts) when they are huge, not files,
// or not UTF-8: a usage error naming the input and the limit, never an abort.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "llmrt/mock/mock_server.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

namespace fs = std::filesystem;
using test::run_process;

// The limit of one local input (README, "Command line").
constexpr const char* kLimitText = "67108864 bytes";

// An address-space limit the child runs under: before the inputs were capped, reading
// /dev/zero grew a string until std::bad_alloc aborted the process (and without a limit it
// would take all the memory of the machine first).
std::vector<std::string> limited(std::vector<std::string> argv) {
  // Under a sanitizer the cap on the input is what keeps memory bounded, with no limit to back
  // it up.
  if (test::kSanitizedBuild) return argv;
  argv.insert(argv.begin(), {"/usr/bin/prlimit", "--as=2000000000", "--"});
  return argv;
}

class CliInput : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "llmrt-input-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> chat(std::vector<std::string> extra) const {
    std::vector<std::string> argv{LLMRT_TEST_CLI, "chat", "--provider", "openai",
                                  "--model",      "m",    "--api-base", server_.base_url() + "/v1",
                                  "--key",        "k"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  mock::MockServer server_;
  std::string dir_;
};

TEST_F(CliInput, MessagesFromAnEndlessFileAreAUsageErrorNamingTheFileAndTheLimit) {
  auto r = run_process(limited(chat({"--messages", "/dev/zero"})));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("/dev/zero"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(kLimitText), std::string::npos) << r.err;

  r = run_process(
      limited({LLMRT_TEST_CLI, "tokenize", "--model", "gpt-4o", "--messages", "/dev/zero"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("/dev/zero"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(kLimitText), std::string::npos) << r.err;
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(CliInput, AnEndlessStdinIsAUsageErrorNamingStdinAndTheLimit) {
  for (std::string command : {"chat --provider openai --model m --key k --messages -",
                              "tokenize --model gpt-4o", "tokenize --model gpt-4o --messages -"}) {
    auto r = run_process(
        limited({"/bin/sh", "-c", "exec \"$0\" " + command + " < /dev/zero", LLMRT_TEST_CLI}));
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
    EXPECT_NE(r.err.find("stdin"), std::string::npos) << command << ": " << r.err;
    EXPECT_NE(r.err.find(kLimitText), std::string::npos) << command << ": " << r.err;
  }
}

TEST_F(CliInput, ADirectoryWhereAFileIsExpectedIsAClearError) {
  auto r = run_process(chat({"--messages", dir_}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(dir_ + ": is a directory"), std::string::npos) << r.err;

  r = run_process(
      {"/bin/sh", "-c", "exec \"$0\" tokenize --model gpt-4o < \"$1\"", LLMRT_TEST_CLI, dir_});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("stdin: is a directory"), std::string::npos) << r.err;
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(CliInput, InvalidUtf8InAPromptIsRefusedWithWhereAndTheByteOffset) {
  auto r = run_process(chat({"caf\xE9 au lait"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("PROMPT: invalid UTF-8 at byte 3"), std::string::npos) << r.err;

  r = run_process(chat({"--system", "ok \xC3(", "hi"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--system: invalid UTF-8 at byte 3"), std::string::npos) << r.err;

  r = run_process(chat({"--messages", "-"}),
                  "[{\"role\":\"user\",\"content\":\"fine\"},"
                  "{\"role\":\"user\",\"content\":\"ab\xED\xA0\x80\"}]");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("messages -: [1].content: invalid UTF-8 at byte 2"), std::string::npos)
      << r.err;
  EXPECT_TRUE(server_.requests().empty());

  // Valid UTF-8 of every length still goes through.
  r = run_process(chat({"caf\xC3\xA9 \xE4\xBD\xA0 \xF0\x9F\x98\x80"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace llmrt
