// `llmrt chat` as users of the OpenAI SDKs expect it: the base URL from the environment, the
// prompt from stdin, a warning when the token limit cut the reply, tool calls and reasoning
// shown, and failed calls that name the URL they called.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "llmrt/mock/mock_server.h"
#include "llmrt/mock/silent_server.h"
#include "support/cli_args.h"
#include "support/contains.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

using test::contains;

using test::run_process;

// Runs `argv` under env(1) with `assignments` (NAME=VALUE) set. Every proxy variable points at
// a closed loopback port, so a request that goes anywhere but the loopback mock server fails
// at once instead of reaching the network (loopback hosts never use a proxy from the
// environment).
std::vector<std::string> with_env(const std::vector<std::string>& assignments,
                                  const std::vector<std::string>& argv) {
  std::vector<std::string> out{"/usr/bin/env",
                               "-u",
                               "OPENAI_BASE_URL",
                               "-u",
                               "NO_PROXY",
                               "-u",
                               "no_proxy",
                               "HTTPS_PROXY=http://127.0.0.1:9",
                               "https_proxy=http://127.0.0.1:9",
                               "HTTP_PROXY=http://127.0.0.1:9",
                               "http_proxy=http://127.0.0.1:9"};
  out.insert(out.end(), assignments.begin(), assignments.end());
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

class ChatUx : public ::testing::Test {
 protected:
  std::vector<std::string> chat(const std::vector<std::string>& extra) const {
    return test::chat_argv(LLMRT_TEST_CLI, server_.base_url(), extra);
  }
  // `llmrt chat` without --api-base.
  static std::vector<std::string> chat_without_base(const std::vector<std::string>& extra) {
    std::vector<std::string> argv{LLMRT_TEST_CLI, "chat", "--provider", "openai", "--model", "m",
                                  "--key",        "k",    "--retry",    "0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }
  std::string last_user_content() const {
    rapidjson::Document body;
    body.Parse(server_.last_request().body.c_str());
    EXPECT_FALSE(body.HasParseError());
    const auto& messages = body["messages"];
    return messages[messages.Size() - 1]["content"].GetString();
  }

  mock::MockServer server_;
};

// 1. The base URL: flag > config file > environment variable > plugin default.

TEST_F(ChatUx, OpenaiBaseUrlFromTheEnvironmentIsHonoured) {
  auto r = run_process(
      with_env({"OPENAI_BASE_URL=" + server_.base_url() + "/v1"}, chat_without_base({"hi"})));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(server_.requests().size(), 1u);
  EXPECT_EQ(server_.last_request().uri, "/v1/chat/completions");
}

TEST_F(ChatUx, ApiBaseFlagBeatsTheEnvironment) {
  mock::MockServer other;
  auto r =
      run_process(with_env({"OPENAI_BASE_URL=" + other.base_url() + "/v1"},
                           chat_without_base({"--api-base", server_.base_url() + "/v1", "hi"})));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.requests().size(), 1u);
  EXPECT_TRUE(other.requests().empty());
}

TEST_F(ChatUx, PluginsListTheBaseUrlVariable) {
  auto r = run_process({LLMRT_TEST_CLI, "plugins", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_TRUE(doc.IsArray()) << r.out;
  std::map<std::string, std::string> variables;
  for (const auto& p : doc.GetArray()) {
    ASSERT_TRUE(p.HasMember("base_url_env")) << r.out;
    variables[p["name"].GetString()] = p["base_url_env"].GetString();
  }
  EXPECT_EQ(variables["openai"], "OPENAI_BASE_URL");
  EXPECT_EQ(variables["qwen"], "DASHSCOPE_HTTP_BASE_URL");
  EXPECT_EQ(variables["internlm"], "INTERNLM_API_BASE");
  auto table = run_process({LLMRT_TEST_CLI, "plugins"});
  EXPECT_TRUE(contains(table.out, "BASE URL VARIABLE")) << table.out;
  EXPECT_TRUE(contains(table.out, "OPENAI_BASE_URL")) << table.out;
}

// 2. The prompt from stdin.

TEST_F(ChatUx, PipedStdinIsThePromptWhenNoneIsGiven) {
  auto r = run_process(chat({}), "hi from a pipe\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(last_user_content(), "hi from a pipe");
}

TEST_F(ChatUx, DashReadsThePromptFromStdin) {
  auto r = run_process(chat({"-"}), "hello dash");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(last_user_content(), "hello dash");
}

TEST_F(ChatUx, StdinPromptErrorsAreUsageErrors) {
  auto empty = run_process(chat({}));
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_TRUE(contains(empty.err, "stdin")) << empty.err;

  auto bad = run_process(chat({"-"}), "ok \xff there");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(contains(bad.err, "stdin: invalid UTF-8 at byte 3")) << bad.err;

  auto both = run_process(chat({"--messages", "-", "-"}), R"([{"role":"user","content":"a"}])");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_TRUE(contains(both.err, "--messages - and the prompt - both read stdin")) << both.err;
  EXPECT_TRUE(server_.requests().empty());
}

// 3. A reply cut by the token limit.

TEST_F(ChatUx, ALengthFinishWarnsNamingTheLimit) {
  for (bool stream : {false, true}) {
    server_.push(mock::Scenario{.content = "cut short", .finish_reason = "length"});
    std::vector<std::string> extra{"--param", "max_new_tokens=7", "hi"};
    if (stream) extra.insert(extra.begin(), "--stream");
    auto r = run_process(chat(extra));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "cut short\n");
    EXPECT_TRUE(contains(r.err,
                         "llmrt: warning: the reply was cut by the token limit "
                         "(finish reason length): max_tokens 7, from --param "
                         "max_new_tokens"))
        << r.err;
  }
  server_.push(mock::Scenario{.content = "cut", .finish_reason = "length"});
  auto r = run_process(chat({"hi"}));
  EXPECT_TRUE(contains(r.err, "the server's own limit (the request set none)")) << r.err;
  server_.push(mock::Scenario{.content = "cut", .finish_reason = "length"});
  auto preset = run_process(chat({"--defaults", "lagent", "hi"}));
  EXPECT_TRUE(
      contains(preset.err, "max_tokens 512, from the lagent parameter preset's max_new_tokens"))
      << preset.err;
  server_.push(mock::Scenario{.content = "whole"});
  auto whole = run_process(chat({"hi"}));
  EXPECT_FALSE(contains(whole.err, "warning")) << whole.err;
}

// --log-level off (or error) silences the command's own warnings too, not only the library's:
// the cut reply's, a parameter's the plugin did not send.
TEST_F(ChatUx, LogLevelOffSilencesTheCommandsWarnings) {
  server_.push(mock::Scenario{.content = "cut", .finish_reason = "length"});
  auto r = run_process(chat({"--log-level", "off", "--param", "top_k=3", "hi"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "cut\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(ChatUx, ACapThatLowersTheUsersValueIsAWarning) {
  auto r = run_process(chat({"--param", "max_new_tokens=10000", "hi"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The plugin's warning, once: the command adds no second one of its own.
  EXPECT_EQ(r.err,
            "llmrt: warning: max_new_tokens 10000 lowered to max_tokens 4096 by the option "
            "max_tokens_cap\n");
  auto raised = run_process(
      chat({"--option", "max_tokens_cap=20000", "--param", "max_new_tokens=10000", "hi"}));
  EXPECT_FALSE(contains(raised.err, "warning")) << raised.err;
}

// 4. Tool calls and reasoning in plain output.

TEST_F(ChatUx, ToolCallsAreReadableLinesAndReasoningGoesToStderr) {
  for (bool stream : {false, true}) {
    server_.push(mock::Scenario{
        .content = "",
        .tool_calls = {{.id = "call_1", .name = "get_weather", .arguments = R"({"city":"Paris"})"}},
    });
    auto r = run_process(
        chat(stream ? std::vector<std::string>{"--stream", "hi"} : std::vector<std::string>{"hi"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "tool call get_weather({\"city\":\"Paris\"})\n") << stream;

    server_.push(mock::Scenario{.content = "the answer", .reasoning = "thinking it over"});
    auto reasoned = run_process(
        chat(stream ? std::vector<std::string>{"--stream", "hi"} : std::vector<std::string>{"hi"}));
    ASSERT_EQ(reasoned.exit_code, 0) << reasoned.err;
    EXPECT_EQ(reasoned.out, "the answer\n") << stream;
    EXPECT_TRUE(contains(reasoned.err, "reasoning: thinking it over\n")) << reasoned.err;
  }
}

// 5. A failed call names the URL it called, without its secrets.

TEST_F(ChatUx, AnHttpErrorNamesTheUrlWithoutSecrets) {
  server_.push(
      mock::Scenario{.status = 501, .error_body = "<!DOCTYPE HTML><html>Not Implemented</html>"});
  const std::string base = server_.base_url();
  const std::string with_secrets =
      "http://alice:hunter2secret@" + base.substr(7) + "/v1?key=sk-query-secret-1234&x=1";
  auto r = run_process(chat_without_base({"--api-base", with_secrets, "hi"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(contains(r.err, "url " + base + "/v1/chat/completions?key=[redacted]&x=[redacted]"))
      << r.err;
  EXPECT_FALSE(contains(r.err, "hunter2secret")) << r.err;
  EXPECT_FALSE(contains(r.err, "sk-query-secret")) << r.err;
}

TEST_F(ChatUx, ATimeoutNamesTheUrl) {
  mock::SilentServer silent;
  auto r = run_process(chat_without_base(
      {"--api-base", "http://" + silent.address() + "/v1", "--timeout", "0.3", "hi"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(contains(r.err, "timeout")) << r.err;
  EXPECT_TRUE(contains(r.err, "url http://" + silent.address() + "/v1/chat/completions")) << r.err;
}

}  // namespace
}  // namespace llmrt
