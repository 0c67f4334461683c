// The llmrt binary given JSON nested without bound — in a captured stream, a configuration, a
// messages file, a batch line, a --param value — or a configuration that is no regular file:
// a clear error naming where, never a crash.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "llmrt/mock/mock_server.h"
#include "support/cli_args.h"
#include "support/contains.h"
#include "support/event_text.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

namespace fs = std::filesystem;
using test::contains;
using test::lines_of;
using test::run_process;

class UntrustedInput : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "llmrt-untrusted-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) const {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::vector<std::string> chat(const std::vector<std::string>& extra) const {
    return test::chat_argv(LLMRT_TEST_CLI, server_.base_url(), extra);
  }

  const std::string deep_ = std::string(300000, '[');
  mock::MockServer server_;
  std::string dir_;
};

TEST_F(UntrustedInput, DecodePrintsWhatCameBeforeADeepEventThenAProtocolError) {
  std::string body =
      "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
      "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n"
      "data: {\"choices\":[{\"delta\":{\"content\":\"!\"}}],\"x\":" +
      deep_ + "\n\n";
  auto r = run_process({LLMRT_TEST_CLI, "decode", "--provider", "openai"}, body);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0], R"({"type":"delta","content":"Hel"})");
  EXPECT_EQ(lines[1], R"({"type":"delta","content":"lo"})");
  EXPECT_TRUE(contains(lines[2], R"("kind":"protocol")")) << lines[2];
  EXPECT_TRUE(contains(lines[2], R"("partial_content":"Hello")")) << lines[2];
  EXPECT_TRUE(contains(r.err, "nested deeper than 128 levels")) << r.err;
}

TEST_F(UntrustedInput, DecodePrintsWhatCameBeforeAMalformedEventInTheSameRead) {
  std::string body =
      "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
      "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n"
      "data: {not json\n\n";
  for (const char* provider : {"openai", "internlm"}) {
    auto r = run_process({LLMRT_TEST_CLI, "decode", "--provider", provider}, body);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 3u) << provider << "\n" << r.out;
    EXPECT_EQ(lines[0], R"({"type":"delta","content":"Hel"})");
    EXPECT_TRUE(contains(lines[2], R"("partial_content":"Hello")")) << lines[2];
  }
}

TEST_F(UntrustedInput, DeepConfigIsAConfigErrorNamingTheFileAndLine) {
  std::string path = write("llmrt.json", "{\"models\": {\"a\":\n  {\"params\": {\"x\": " + deep_);
  auto r = run_process(chat({"--config", path, "--name", "a", "hi"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, path + ": line 2, column")) << r.err;
  EXPECT_TRUE(contains(r.err, "nested deeper than 128 levels")) << r.err;
}

TEST_F(UntrustedInput, ConfigThatIsNoRegularFileOrTooLargeIsAClearError) {
  auto r = run_process(chat({"--config", "/dev/zero", "--name", "a", "hi"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "/dev/zero")) << r.err;
  std::string fifo = dir_ + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  r = run_process(chat({"--config", fifo, "--name", "a", "hi"}));  // no writer: must not block
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, fifo + ": not a regular file")) << r.err;
  std::string big = dir_ + "/big.json";
  fs::resize_file(write("big.json", ""), std::uintmax_t{17} << 20);
  r = run_process(chat({"--config", big, "--name", "a", "hi"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, big + ": larger than 16 MiB")) << r.err;
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(UntrustedInput, DeepMessagesFileIsAUsageErrorNamingTheFileAndLine) {
  std::string path = write("messages.json", "[\n" + deep_);
  auto r = run_process(chat({"--messages", path}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "messages " + path + ": line 2, column 128")) << r.err;
  EXPECT_TRUE(contains(r.err, "nested deeper than 128 levels")) << r.err;
  r = run_process({LLMRT_TEST_CLI, "tokenize", "--model", "gpt-4o", "--messages", path});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "nested deeper than 128 levels")) << r.err;
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(UntrustedInput, DeepParamValueIsAUsageError) {
  auto r = run_process(chat({"--param", "x=" + std::string(131000, '['), "hi"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "parameter 'x'")) << r.err;
  EXPECT_TRUE(contains(r.err, "nested deeper than 128 levels")) << r.err;
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(UntrustedInput, ADeepBatchLineIsThatLinesErrorOnly) {
  std::string input =
      write("in.jsonl", R"({"custom_id":"a","messages":[{"role":"user","content":"1"}]})"
                        "\n"
                        R"({"custom_id":"deep","messages":)" +
                            deep_ + "\n" +
                            R"({"custom_id":"c","messages":[{"role":"user","content":"3"}]})"
                            "\n");
  std::string output = dir_ + "/out.jsonl";
  auto r = run_process({LLMRT_TEST_CLI, "batch", "--model", "m", "--api-base",
                        server_.base_url() + "/v1", "--key", "k", "--retry", "0", "--input", input,
                        "--output", output});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // one line was bad
  EXPECT_TRUE(contains(r.err, "in.jsonl:2: JSON nested deeper than 128 levels")) << r.err;
  EXPECT_TRUE(contains(r.err, "2 run, 2 succeeded, 0 failed")) << r.err;
  std::ifstream in(output);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_EQ(lines_of(text).size(), 3u) << text;
  EXPECT_TRUE(contains(text, R"({"custom_id":"line-2","error":)")) << text;
  EXPECT_EQ(server_.requests().size(), 2u);
}

}  // namespace
}  // namespace llmrt
