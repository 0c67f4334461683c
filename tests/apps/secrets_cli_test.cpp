// Secrets and header values through the real llmrt binary against the mock server: no
// configured secret is ever printed, and no setting can put a header of its own on the wire.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "llmrt/mock/mock_server.h"
#include "support/contains.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

using test::contains;

using test::run_process;

class CliSecrets : public ::testing::Test {
 protected:
  std::vector<std::string> chat(std::vector<std::string> keys, std::vector<std::string> extra) {
    std::vector<std::string> argv{LLMRT_TEST_CLI, "chat", "--provider", "openai",
                                  "--model",      "m",    "--api-base", api_base(),
                                  "--retry",      "0"};
    for (const std::string& k : keys) {
      argv.push_back("--key");
      argv.push_back(k);
    }
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }
  std::string api_base() const { return server_.base_url() + "/v1"; }
  // --log-level is the program's option: it goes before the command.
  static std::vector<std::string> at_debug_level(std::vector<std::string> argv) {
    argv.insert(argv.begin() + 1, {"--log-level", "debug"});
    return argv;
  }

  // The setting is refused before anything is sent: exit 2, the setting named on stderr,
  // nothing of the value printed, and the server saw no request (so no forged header).
  void expect_refused(const test::ProcessResult& r, const std::string& setting) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, setting)) << r.err;
    EXPECT_FALSE(contains(r.out + r.err, "X-Injected")) << r.out << r.err;
    EXPECT_FALSE(contains(r.out + r.err, "sk-inj")) << r.out << r.err;
    for (const mock::RecordedRequest& req : server_.requests()) {
      EXPECT_EQ(find_header(req.headers, "X-Injected"), nullptr);
    }
    EXPECT_TRUE(server_.requests().empty());
    server_.clear_requests();
  }

  mock::MockServer server_;
};

// A key echoed by the server in error.code, error.type and x-request-id: the error event, the
// stderr line and the debug log show it only as …last4.
TEST_F(CliSecrets, KeyEchoedInCodeTypeAndRequestIdIsMasked) {
  const std::string key = "sk-echoed-in-fields-4f3e";
  for (bool stream : {false, true}) {
    mock::Scenario s;
    s.status = 401;
    s.error_body = R"({"error":{"message":"no","type":")" + key + R"(","code":")" + key +
                   R"(","param":")" + key + R"("}})";
    s.headers = {{"x-request-id", "req-" + key}};
    server_.push(s);
    std::vector<std::string> extra{"--events", "hi"};
    if (stream) extra.insert(extra.begin(), "--stream");
    auto r = run_process(chat({key}, extra));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_FALSE(contains(r.out + r.err, "sk-echoed")) << r.out << r.err;
    EXPECT_TRUE(contains(r.out, "…4f3e")) << r.out;                 // the code in the event
    EXPECT_TRUE(contains(r.err, "request id req-…4f3e")) << r.err;  // the stderr line
  }
}

// A secret in the API base's query (?token=…) is in no debug line: the request's and the
// response's lines show the URL as errors do.
TEST_F(CliSecrets, AQuerySecretInTheApiBaseIsInNoDebugLine) {
  std::vector<std::string> argv = at_debug_level(chat({"k"}, {"hi"}));
  for (std::string& arg : argv) {
    if (arg == api_base()) arg += "?token=QUERYSECRET777";
  }
  auto r = run_process(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "POST ")) << r.err;  // the debug lines are there
  EXPECT_FALSE(contains(r.out + r.err, "QUERYSECRET777")) << r.err;
  ASSERT_EQ(server_.requests().size(), 1u);
}

// An in-stream error whose code quotes the key, after some text arrived.
TEST_F(CliSecrets, KeyInAnInStreamErrorCodeIsMasked) {
  const std::string key = "sk-in-stream-code-77aa";
  mock::Scenario s;
  s.chunks = 2;
  s.stream_error = R"({"message":"quota for )" + key + R"(","code":")" + key + R"("})";
  server_.push(s);
  auto r = run_process(chat({key}, {"--stream", "--events", "hi"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_FALSE(contains(r.out + r.err, "sk-in-stream")) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, R"("code":"…77aa")")) << r.out;
}

// Three keys, each rate-limited with a message that lists all of them: none is printed, not
// only the key of the last attempt.
TEST_F(CliSecrets, EveryKeyOfThePoolIsMaskedNotOnlyTheLastOne) {
  const std::vector<std::string> keys{"sk-pool-first-1111", "sk-pool-second-2222",
                                      "sk-pool-third-3333"};
  mock::Scenario s;
  s.status = 429;
  s.error_body = R"({"error":{"message":"keys )" + keys[0] + " " + keys[1] + " " + keys[2] +
                 R"( are rate limited","code":"rate_limit_exceeded"}})";
  server_.set_default(s);
  auto r = run_process(at_debug_level(chat(keys, {"--events", "hi"})));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_FALSE(contains(r.out + r.err, "sk-pool")) << r.out << r.err;
  for (const char* last4 : {"…1111", "…2222", "…3333"}) {
    EXPECT_TRUE(contains(r.err, last4)) << r.err;
  }
}

// A key from the environment (env:VAR) is masked like a literal one.
TEST_F(CliSecrets, KeyFromTheEnvironmentIsMasked) {
  const std::string key = "sk-from-environment-5e5e";
  setenv("LLMRT_TEST_SECRET_KEY", key.c_str(), 1);
  mock::Scenario s;
  s.status = 401;
  s.error_body = R"({"error":{"message":"bad key )" + key + R"(","code":"invalid_api_key"}})";
  s.headers = {{"x-request-id", key}};
  server_.push(s);
  auto r = run_process(chat({"env:LLMRT_TEST_SECRET_KEY"}, {"--events", "hi"}));
  unsetenv("LLMRT_TEST_SECRET_KEY");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_FALSE(contains(r.out + r.err, "sk-from-environment")) << r.out << r.err;
  EXPECT_TRUE(contains(r.err, "…5e5e")) << r.err;
}

// Batch output: each item's error record is free of every key of the pool.
TEST_F(CliSecrets, BatchErrorRecordsCarryNoKey) {
  const std::vector<std::string> keys{"sk-batch-first-aaaa", "sk-batch-second-bbbb"};
  mock::Scenario s;
  s.status = 400;
  s.error_body = R"({"error":{"message":"not for )" + keys[0] + " or " + keys[1] + R"(","code":")" +
                 keys[1] + R"("}})";
  s.headers = {{"x-request-id", keys[0]}};
  server_.set_default(s);
  auto dir = std::filesystem::temp_directory_path() /
             ("llmrt-secrets-batch-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "in.jsonl")
      << R"({"custom_id":"a","messages":[{"role":"user","content":"q"}]})"
      << "\n"
      << R"({"custom_id":"b","messages":[{"role":"user","content":"q"}]})"
      << "\n";
  std::vector<std::string> argv{LLMRT_TEST_CLI, "batch",
                                "--model",      "m",
                                "--api-base",   api_base(),
                                "--key",        keys[0],
                                "--key",        keys[1],
                                "--retry",      "0",
                                "--input",      (dir / "in.jsonl").string(),
                                "--output",     (dir / "out.jsonl").string()};
  auto r = run_process(argv);
  std::ifstream in(dir / "out.jsonl");
  std::string output{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::filesystem::remove_all(dir);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(contains(output, R"("custom_id":"b")")) << output;
  EXPECT_TRUE(contains(output, "…bbbb")) << output;
  EXPECT_FALSE(contains(output + r.out + r.err, "sk-batch")) << output << r.err;
}

// A placeholder key shorter than the redaction minimum ("EMPTY", as vLLM and FastChat use)
// leaves the server's message alone instead of masking every "EMPTY" in it.
TEST_F(CliSecrets, ShortPlaceholderKeyDoesNotMangleMessages) {
  mock::Scenario s;
  s.status = 400;
  s.error_body = R"({"error":{"message":"EMPTY prompt: an EMPTY message is not allowed"}})";
  server_.push(s);
  auto r = run_process(chat({"EMPTY"}, {"hi"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(contains(r.err, "EMPTY prompt: an EMPTY message is not allowed")) << r.err;
}

// The proxy's password is not in the "invalid proxy URL" error.
TEST_F(CliSecrets, ProxyPasswordIsNotInTheInvalidProxyError) {
  auto r = run_process(
      chat({"sk-proxy-test-0000"},
           {"--proxy", "http://proxyuser:hunter2-proxy-pass@proxy.invalid:notaport", "hi"}));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(contains(r.err, "proxy")) << r.err;
  EXPECT_FALSE(contains(r.out + r.err, "hunter2")) << r.err;
  EXPECT_FALSE(contains(r.out + r.err, "proxyuser")) << r.err;
}

// user:password@ in --api-base is not in the debug log (nor anywhere else), long or short.
TEST_F(CliSecrets, ApiBaseUserinfoIsNotInTheDebugLog) {
  std::string port = std::to_string(server_.port());
  for (std::string userinfo : {"apiuser:api-base-password-9", "u:pw"}) {
    auto argv = at_debug_level(chat({"sk-api-base-test-0000"}, {"hi"}));
    *(std::find(argv.begin(), argv.end(), "--api-base") + 1) =
        "http://" + userinfo + "@127.0.0.1:" + port + "/v1";
    auto r = run_process(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.err, "[debug]")) << r.err;
    EXPECT_FALSE(contains(r.err, userinfo)) << r.err;
    EXPECT_FALSE(contains(r.err, "api-base-password")) << r.err;
  }
}

TEST_F(CliSecrets, KeyWithALineBreakIsRefusedBeforeSending) {
  expect_refused(run_process(chat({"sk-inj\r\nX-Injected: 1"}, {"hi"})), "key 1");
  expect_refused(run_process(chat({"sk-good-key-0001", "sk-inj\nX-Injected: 1"}, {"hi"})), "key 2");
}

TEST_F(CliSecrets, KeyFromTheEnvironmentWithALineBreakNamesTheVariable) {
  setenv("OPENAI_API_KEY", "sk-inj\r\nX-Injected: 1", 1);
  auto r = run_process(chat({"ENV"}, {"hi"}));
  unsetenv("OPENAI_API_KEY");
  expect_refused(r, "key 1 (from $OPENAI_API_KEY)");
}

TEST_F(CliSecrets, OrganisationWithALineBreakIsRefused) {
  expect_refused(run_process(chat({"sk-good-key-0001"},
                                  {"--org", "org-a", "--org", "sk-inj\r\nX-Injected: 1", "hi"})),
                 "organization 2");
}

TEST_F(CliSecrets, OptionWithALineBreakIsRefused) {
  expect_refused(run_process(chat({"sk-good-key-0001"},
                                  {"--option", "project=sk-inj\r\nX-Injected: 1", "hi"})),
                 "option project");
}

// The model name goes into the URL's path (Gemini) or the body: one with a line break is a
// configuration error (exit 2) for every provider, not a call that failed.
TEST_F(CliSecrets, AModelNameWithALineBreakIsRefused) {
  for (const char* provider : {"openai", "gemini"}) {
    std::vector<std::string> argv = chat({"sk-good-key-0001"}, {"hi"});
    argv[3] = provider;
    argv[5] = "m\r\nX-Injected: 1";
    expect_refused(run_process(argv), "model");
  }
}

// Keys from a configuration file, with a NUL, which no command line can carry.
TEST_F(CliSecrets, ConfigFileKeyWithNulOrLineBreakIsRefused) {
  auto file = std::filesystem::temp_directory_path() /
              ("llmrt-secrets-" + std::to_string(::getpid()) + ".json");
  for (const char* bad : {R"(sk-inj\u0000X-Injected: 1)", R"(sk-inj\r\nX-Injected: 1)"}) {
    std::ofstream(file) << R"({"models":{"m":{"provider":"openai","model":"m","api_base":")"
                        << api_base() << R"(","keys":["sk-good-key-0001",")" << bad << R"("]}}})";
    expect_refused(
        run_process({LLMRT_TEST_CLI, "chat", "--config", file.string(), "--name", "m", "hi"}),
        "key 2");
  }
  std::filesystem::remove(file);
}

// A plugin whose info() throws is skipped with its reason, like any bad file; the CLI goes on.
TEST_F(CliSecrets, PluginWhoseInfoThrowsIsSkipped) {
  std::string dir = std::string(LLMRT_TEST_FIXTURE_DIR) + "/info_throws";
  auto r = run_process({LLMRT_TEST_CLI, "--plugin", dir, "plugins"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "skipped plugin")) << r.err;
  EXPECT_TRUE(contains(r.err, "info() failed on purpose")) << r.err;
  EXPECT_TRUE(contains(r.out, "openai")) << r.out;  // the other plugins are still there
}

}  // namespace
}  // namespace llmrt
