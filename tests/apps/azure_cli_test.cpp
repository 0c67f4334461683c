// `llmrt chat --provider openai` configured for Azure OpenAI, against the mock server's Azure
// deployment route: the README's example exactly as written (its resource endpoint pointed at
// the mock server), the content filter's refusal, and the key kept out of every output.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "llmrt/mock/mock_server.h"
#include "support/contains.h"
#include "support/run_process.h"
#include "support/temp_dir.h"

namespace llmrt {
namespace {

using test::contains;
using test::run_process;

constexpr const char* kReadmeEndpoint = "https://my-resource.openai.azure.com";
constexpr const char* kKey = "azure-readme-key-7c1d";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    text.replace(at, from.size(), to);
    at += to.size();
  }
  return text;
}

// The fenced block of README.md that contains `marker`, without its fences.
std::string readme_block(const std::string& marker) {
  std::ifstream in(std::filesystem::path(LLMRT_TEST_DATA_DIR).parent_path().parent_path() /
                   "README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const std::size_t at = readme.find(marker);
  if (at == std::string::npos) return {};
  const std::size_t open = readme.rfind("```", at);
  const std::size_t body = readme.find('\n', open) + 1;
  return readme.substr(body, readme.find("```", at) - body);
}

class AzureCli : public ::testing::Test {
 protected:
  AzureCli() {
    ::setenv("AZURE_OPENAI_API_KEY", kKey, 1);
    ::setenv("LLMRT", LLMRT_TEST_CLI, 1);
  }
  ~AzureCli() override {
    ::unsetenv("AZURE_OPENAI_API_KEY");
    ::unsetenv("LLMRT");
  }
  // The README's shell block, run in the folder of its configuration file, with `llmrt` the
  // binary under test and the resource endpoint the mock server.
  test::ProcessResult run_readme_commands() {
    dir_.write("azure.json", replaced(readme_block(R"("api_version": "2024-10-21")"),
                                      kReadmeEndpoint, server_.base_url()));
    std::string script = replaced(readme_block("llmrt chat --config azure.json"), kReadmeEndpoint,
                                  server_.base_url());
    script = replaced(script, "llmrt chat", "\"$LLMRT\" chat");
    return run_process({"/bin/sh", "-c", "cd \"$0\" && " + script, dir_.path()});
  }
  void expect_azure_request(const mock::RecordedRequest& req) {
    EXPECT_EQ(req.uri, "/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21");
    ASSERT_NE(find_header(req.headers, "api-key"), nullptr);
    EXPECT_EQ(*find_header(req.headers, "api-key"), kKey);
    EXPECT_EQ(find_header(req.headers, "Authorization"), nullptr);
  }
  std::vector<std::string> flags(std::vector<std::string> extra) const {
    std::vector<std::string> argv{
        LLMRT_TEST_CLI, "chat",
        "--provider",   "openai",
        "--model",      "gpt-4o",
        "--api-base",   server_.base_url() + "/openai/deployments/gpt-4o-prod",
        "--option",     "api_version=2024-10-21",
        "--key",        "env:AZURE_OPENAI_API_KEY",
        "--retry",      "0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  mock::MockServer server_;
  test::TempDir dir_;
};

TEST_F(AzureCli, TheReadmeExampleStreamsFromTheConfigFileAndFromFlags) {
  ASSERT_FALSE(readme_block("llmrt chat --config azure.json").empty());
  auto r = run_readme_commands();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string reply = mock::Scenario{}.full_content();
  // Two commands, the same reply each.
  EXPECT_EQ(r.out, reply + "\n" + reply + "\n");
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const auto& req : requests) expect_azure_request(req);
}

TEST_F(AzureCli, StreamedEventsCarryTheContentFilterFinish) {
  auto r = run_process(
      flags({"--stream", "--events", "--param",
             R"(mock={"content":"The duel ended when","finish_reason":"content_filter"})", "hi"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, R"({"type":"end","finish_reason":"content_filter")")) << r.out;
  expect_azure_request(server_.last_request());
}

TEST_F(AzureCli, TheContentFilterRefusalNamesTheCategory) {
  for (const char* mode : {"--stream", "--events"}) {
    auto r = run_process(
        flags({mode, "--param", R"(mock={"status":400,"error_code":"content_filter"})", "hi"}));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(contains(r.out + r.err, "content_filter")) << r.out << r.err;
    EXPECT_TRUE(contains(r.out + r.err, "[filtered: violence (medium)]")) << r.out << r.err;
  }
}

TEST_F(AzureCli, TheKeyNeverShowsEvenAtDebugLevel) {
  std::vector<std::string> argv =
      flags({"--stream", "--events", "--param", R"(mock={"status":401})", "hi"});
  argv.insert(argv.begin() + 1, {"--log-level", "debug"});
  auto r = run_process(argv);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(contains(r.err, "HTTP 401")) << r.err;
  EXPECT_FALSE(contains(r.out + r.err, kKey)) << r.out << r.err;
  EXPECT_TRUE(contains(r.out + r.err, "…7c1d")) << r.out << r.err;
  EXPECT_EQ(*find_header(server_.last_request().headers, "api-key"), kKey);
}

}  // namespace
}  // namespace llmrt
