// The mistakes a new user makes on the command line (issue 13): each is a clear message naming
// what was wrong and where, with exit status 2 when it is found before anything is sent.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "llmrt/mock/mock_server.h"
#include "support/cli_args.h"
#include "support/contains.h"
#include "support/run_process.h"
#include "support/temp_dir.h"

namespace llmrt {
namespace {

using test::contains;

namespace fs = std::filesystem;
using test::run_process;

class CliErrors : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& text) const {
    return temp_.write(name, text);
  }

  std::vector<std::string> chat(const std::vector<std::string>& extra) const {
    return test::chat_argv(LLMRT_TEST_CLI, server_.base_url(), extra);
  }

  std::vector<std::string> batch(const std::vector<std::string>& extra) const {
    std::vector<std::string> argv = chat(extra);
    argv[1] = "batch";
    return argv;
  }

  std::string batch_input() const {
    return write("in.jsonl", R"({"custom_id":"a","messages":[{"role":"user","content":"hi"}]})"
                             "\n");
  }

  mock::MockServer server_;
  test::TempDir temp_{"llmrt-errors"};
  const std::string dir_ = temp_.path();
};

// --- Files: a directory or a missing path where a file is expected -------------------------

TEST_F(CliErrors, ADirectoryOrMissingFileForEveryFileOptionIsExitTwoNamingIt) {
  const std::string missing = dir_ + "/missing.json";
  const std::string input = batch_input();
  const std::vector<std::vector<std::string>> cases{
      chat({"--messages", dir_, "hi"}),
      chat({"--messages", missing, "hi"}),
      {LLMRT_TEST_CLI, "tokenize", "--model", "gpt-4o", "--messages", dir_},
      {LLMRT_TEST_CLI, "decode", "--provider", "openai", "--file", dir_},
      {LLMRT_TEST_CLI, "decode", "--provider", "openai", "--file", missing},
      {LLMRT_TEST_CLI, "decode", "--sse", "--file", dir_},
      batch({"--input", input, "--output", dir_}),
      batch({"--input", dir_, "--output", dir_ + "/out.jsonl"}),
      batch({"--input", missing, "--output", dir_ + "/out.jsonl"}),
      batch({"--input", input, "--output", dir_ + "/no/such/folder/out.jsonl"}),
      {LLMRT_TEST_CLI, "chat", "--config", dir_, "--name", "a", "hi"},
      {LLMRT_TEST_CLI, "chat", "--config", missing, "--name", "a", "hi"},
      chat({"--ca-file", missing, "hi"}),
      {LLMRT_TEST_CLI, "--plugin", missing, "plugins"},
      chat({"--plugin", missing, "hi"}),
      chat({"--tools", missing, "hi"}),
  };
  for (const auto& argv : cases) {
    std::string command;
    for (std::size_t i = 1; i < argv.size(); ++i) command += argv[i] + " ";
    auto r = run_process(argv);
    EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.err;
    // The message names the file (or, for the folder of a new output, the path given).
    EXPECT_TRUE(contains(r.err, dir_)) << command << "\n" << r.err;
    EXPECT_FALSE(contains(r.err, "ios_failure")) << command << "\n" << r.err;
  }
  // And the option it was given to.
  EXPECT_TRUE(contains(run_process(chat({"--messages", missing, "hi"})).err,
                       "--messages: cannot read " + missing));
  EXPECT_TRUE(contains(run_process(chat({"--tools", missing, "hi"})).err,
                       "--tools: cannot read " + missing));
  EXPECT_TRUE(contains(run_process(batch({"--input", input, "--output", dir_})).err,
                       "--output: " + dir_ + ": is a directory"));
  EXPECT_TRUE(server_.requests().empty());
}

// `llmrt chat "$UNSET"` inside a `while read` loop: an empty PROMPT is refused, and the loop's
// input on stdin is neither read nor sent.
TEST_F(CliErrors, AnEmptyPromptIsRefusedAndStdinIsNotRead) {
  auto r = run_process(chat({""}), "the loop's next line\n");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "PROMPT is empty")) << r.err;
  EXPECT_TRUE(server_.requests().empty());
  r = run_process(chat({}), "from a pipe\n");  // no PROMPT at all: a pipe is the prompt
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(server_.requests().size(), 1u);
  EXPECT_TRUE(contains(server_.requests()[0].body, "from a pipe"));
}

// A role no template knows, in a --messages file: named with the file and the message's place
// in it (with --system first, the conversation's numbering would be one off).
TEST_F(CliErrors, AnUnknownRoleInAMessagesFileIsNamedWithTheFile) {
  const std::string file =
      write("turns.json", R"([{"role":"user","content":"a"},{"role":"robot","content":"b"}])");
  auto r = run_process(chat({"--system", "be brief", "--messages", file}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "messages " + file + ": message 1 has unknown role 'robot'"))
      << r.err;
  r = run_process({LLMRT_TEST_CLI, "tokenize", "--model", "gpt-4o", "--messages", file});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "messages " + file + ": message 1 has unknown role 'robot'"))
      << r.err;
  EXPECT_TRUE(server_.requests().empty());
}

// --- The API base: a bad one is a configuration error, found before anything is sent --------

TEST_F(CliErrors, ABadApiBaseIsExitTwoNamingTheValueAndWhereItCameFrom) {
  for (const std::string& base :
       {std::string("127.0.0.1:8080/v1"), std::string("http://127.0.0.1:99999/v1"),
        std::string("ftp://127.0.0.1/v1")}) {
    auto r = run_process({LLMRT_TEST_CLI, "chat", "--provider", "openai", "--model", "m", "--key",
                          "k", "--api-base", base, "hi"});
    EXPECT_EQ(r.exit_code, 2) << base << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "--api-base")) << r.err;
    EXPECT_TRUE(contains(r.err, "'" + base + "'")) << r.err;

    const std::string config =
        write("bad.json", R"({"models":{"a":{"provider":"openai","model":"m","keys":["k"],)"
                          R"("api_base":")" +
                              base + R"("}}})");
    r = run_process({LLMRT_TEST_CLI, "chat", "--config", config, "--name", "a", "hi"});
    EXPECT_EQ(r.exit_code, 2) << base << ": " << r.err;
    EXPECT_TRUE(contains(r.err, config + ": $.models.a.api_base")) << r.err;
    EXPECT_TRUE(contains(r.err, base)) << r.err;

    const std::string output = dir_ + "/out.jsonl";
    r = run_process({LLMRT_TEST_CLI, "batch", "--provider", "openai", "--model", "m", "--key", "k",
                     "--api-base", base, "--input", batch_input(), "--output", output});
    EXPECT_EQ(r.exit_code, 2) << base << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "--api-base")) << r.err;
    EXPECT_FALSE(fs::exists(output)) << "nothing ran, so nothing was written";
  }
}

// A misspelt level in $LLMRT_LOG is said, not taken silently for warnings.
TEST_F(CliErrors, AnUnknownLevelInLlmrtLogIsSaid) {
  ::setenv("LLMRT_LOG", "debgu", 1);
  auto r = run_process(chat({"hi"}));
  ::unsetenv("LLMRT_LOG");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "$LLMRT_LOG: unknown level 'debgu'")) << r.err;
}

// A key given as the API base (the two swapped) is shown as keys are, and so is one given as an
// organisation: an error message must not print it.
TEST_F(CliErrors, AKeyGivenInPlaceOfAnApiBaseOrOrganisationIsNotShown) {
  const std::string key = "sk-SWAPPED-SECRET-0007";
  auto r = run_process({LLMRT_TEST_CLI, "chat", "--provider", "openai", "--model", "m", "--key",
                        "k", "--api-base", key, "hi"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "'…0007' is not a usable API base")) << r.err;
  EXPECT_FALSE(contains(r.err, "SWAPPED")) << r.err;
  const std::string config =
      write("org.json", R"({"models":{"a":{"provider":"openai","model":"m","keys":["k"],)"
                        R"("organizations":[{"k":")" +
                            key + R"("}]}}})");
  r = run_process({LLMRT_TEST_CLI, "chat", "--config", config, "--name", "a", "hi"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "$.models.a.organizations[0]")) << r.err;
  EXPECT_FALSE(contains(r.err, "SWAPPED")) << r.err;
  EXPECT_TRUE(server_.requests().empty());
}

// Empty would be the provider's own servers: `--api-base "$BASE"` with BASE unset would send the
// key there. Refused wherever it is given; left out, the default still applies.
TEST_F(CliErrors, AnEmptyApiBaseIsRefusedNotTakenForTheDefault) {
  auto r = run_process({LLMRT_TEST_CLI, "chat", "--provider", "openai", "--model", "m", "--key",
                        "k", "--api-base", "", "hi"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "--api-base: the API base is empty")) << r.err;
  const std::string config =
      write("empty.json",
            R"({"models":{"a":{"provider":"openai","model":"m","keys":["k"],"api_base":""}}})");
  r = run_process({LLMRT_TEST_CLI, "chat", "--config", config, "hi"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, config + ": $.models.a.api_base: the API base is empty")) << r.err;
}

// A mistyped proxy was accepted, then looked up as a host name by every call (exit 1 after
// three retries): refused before anything is sent, naming the flag or the file's member.
TEST_F(CliErrors, AProxyThatCannotBeParsedIsRefusedNamingWhereItCameFrom) {
  auto r = run_process(chat({"--proxy", "bad proxy", "hi"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "--proxy: proxy URL has a bad host 'bad proxy'")) << r.err;
  const std::string config =
      write("proxy.json", R"({"models": {"a": {"model": "m", "api_base": ")" + server_.base_url() +
                              R"(/v1", "keys": "k", "proxy": "socks5://p:1"}}})");
  r = run_process({LLMRT_TEST_CLI, "chat", "--config", config, "hi"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, config + ": $.models.a.proxy: proxy URL scheme 'socks5'")) << r.err;
  EXPECT_TRUE(server_.requests().empty());
}

// Settings that would fail every call are refused before the first, naming the file.
TEST_F(CliErrors, AConfigsSettingsThatWouldFailEveryCallAreRefusedNamingTheFile) {
  const std::string base = server_.base_url() + "/v1";
  const std::string zero =
      write("zero.json", R"({"models":{"a":{"model":"m","keys":["k"],"timeouts":{"connect":0},)"
                         R"("api_base":")" +
                             base + R"("}}})");
  auto r = run_process({LLMRT_TEST_CLI, "chat", "--config", zero, "hi"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, zero + ": $.models.a.timeouts.connect: expected a number of seconds "
                                     "above 0"))
      << r.err;
  const std::string refused =
      write("refused.json", R"({"models":{"a":{"model":"m","keys":["k"],"params":{"max_tokens":5},)"
                            R"("api_base":")" +
                                base + R"("}}})");
  r = run_process({LLMRT_TEST_CLI, "chat", "--config", refused, "hi"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, refused + ": model 'a': parameter 'max_tokens' is not accepted"))
      << r.err;
  // An option the plugin reads only when a call sets max_new_tokens.
  r = run_process(chat({"--option", "max_tokens_cap=abc", "hi"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "option max_tokens_cap must be a positive integer, got 'abc'"))
      << r.err;
  EXPECT_TRUE(server_.requests().empty());
}

// --- decode: a whole response is decoded as one; garbage is an error ------------------------

TEST_F(CliErrors, DecodeTakesAWholeJsonResponseAsAWholeResponse) {
  const std::string body =
      R"({"id":"c1","object":"chat.completion","model":"m","choices":[{"index":0,)"
      R"("message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}],)"
      R"("usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}})";
  auto r = run_process({LLMRT_TEST_CLI, "decode", "--provider", "openai"}, "\n " + body + "\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, R"({"type":"usage","prompt_tokens":3,"completion_tokens":2,)"
                              R"("total_tokens":5})"))
      << r.out;
  EXPECT_TRUE(contains(r.out, R"({"type":"end","finish_reason":"stop","content":"Hello there"})"))
      << r.out;

  // A whole error body is the provider's error, classified as a call's would be.
  r = run_process({LLMRT_TEST_CLI, "decode", "--provider", "openai", "--file",
                   write("error.json", R"({"error":{"message":"Incorrect API key provided",)"
                                       R"("type":"invalid_request_error",)"
                                       R"("code":"invalid_api_key"}})")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(contains(r.err, "Incorrect API key provided")) << r.err;
}

TEST_F(CliErrors, DecodeOfGarbageOrNothingIsAnErrorSayingWhatWasWrong) {
  for (const std::string& body :
       {std::string("this is not a response\n"), std::string(""), std::string("{\"choices\":")}) {
    auto r = run_process({LLMRT_TEST_CLI, "decode", "--provider", "openai"}, body);
    EXPECT_EQ(r.exit_code, 1) << "'" << body << "': " << r.out << r.err;
    EXPECT_FALSE(contains(r.out, R"("type":"end")")) << r.out;
    EXPECT_TRUE(contains(r.err, "protocol")) << r.err;
  }
  auto r = run_process({LLMRT_TEST_CLI, "decode", "--provider", "openai"}, "hello\n");
  EXPECT_TRUE(contains(r.err, "no event")) << r.err;
}

// --- Usage errors ---------------------------------------------------------------------------

TEST_F(CliErrors, AnUnknownOrMissingCommandIsNamedWithTheNearestAndTheList) {
  auto r = run_process({LLMRT_TEST_CLI, "chatt", "hi"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "unknown command 'chatt'")) << r.err;
  EXPECT_TRUE(contains(r.err, "did you mean 'chat'?")) << r.err;
  for (const char* command : {"plugins", "batch", "decode", "tokenize", "mock-server", "demo"}) {
    EXPECT_TRUE(contains(r.err, command)) << r.err;
  }

  r = run_process({LLMRT_TEST_CLI});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "a command is required")) << r.err;
  EXPECT_TRUE(contains(r.err, "tokenize")) << r.err;

  r = run_process({LLMRT_TEST_CLI, "-x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "unknown option '-x'")) << r.err;

  r = run_process({LLMRT_TEST_CLI, "--log-level", "debug", "tokenise", "x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "unknown command 'tokenise'; did you mean 'tokenize'?")) << r.err;
}

TEST_F(CliErrors, GlobalOptionsAreAcceptedAfterTheCommand) {
  const std::string plugins = LLMRT_TEST_PLUGIN_DIR;
  auto r = run_process(chat({"--log-level", "debug", "--plugin", plugins, "hi"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.requests().size(), 1u);
  r = run_process({LLMRT_TEST_CLI, "plugins", "--plugin", plugins, "--log-level", "off"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "openai")) << r.out;
}

TEST_F(CliErrors, NumericOptionsOutOfRangeSayWhatIsAllowedInWords) {
  struct Case {
    std::vector<std::string> argv;
    std::string message;
  };
  const std::string input = batch_input();
  const std::string output = dir_ + "/out.jsonl";
  for (const Case& c : std::vector<Case>{
           {chat({"--timeout", "0", "hi"}), "--timeout: must be greater than 0 seconds"},
           {chat({"--timeout", "-1", "hi"}), "--timeout: must be greater than 0 seconds"},
           {chat({"--timeout", "soon", "hi"}), "--timeout: must be a number of seconds"},
           {chat({"--total-timeout", "0", "hi"}), "--total-timeout: must be greater than 0"},
           {chat({"--retry", "-1", "hi"}), "--retry: must be 0 or more"},
           {batch({"--input", input, "--output", output, "--concurrency", "0"}),
            "--concurrency: must be at least 1"},
           {{LLMRT_TEST_CLI, "mock-server", "--port", "70000"}, "--port: must be at most 65535"},
       }) {
    auto r = run_process(c.argv);
    EXPECT_EQ(r.exit_code, 2) << c.message << ": " << r.err;
    EXPECT_TRUE(contains(r.err, c.message)) << r.err;
    EXPECT_LT(r.err.size(), 300u) << r.err;
    EXPECT_FALSE(contains(r.err, "1797693")) << r.err;
  }
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(CliErrors, AnUnknownProviderOptionIsRefusedNamingTheKnownOnes) {
  auto r = run_process(chat({"--option", "foo=bar", "hi"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "'foo'")) << r.err;
  EXPECT_TRUE(contains(r.err, "max_tokens_cap")) << r.err;
  EXPECT_TRUE(contains(r.err, "project")) << r.err;

  // From a configuration file too, and for batch (where nothing is written then).
  const std::string config =
      write("options.json",
            R"({"models":{"a":{"provider":"openai","model":"m","keys":["k"],"api_base":")" +
                server_.base_url() + R"(/v1","options":{"mdoe":"compatible"}}}})");
  r = run_process({LLMRT_TEST_CLI, "chat", "--config", config, "--name", "a", "hi"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "'mdoe'")) << r.err;
  r = run_process({LLMRT_TEST_CLI, "batch", "--config", config, "--name", "a", "--input",
                   batch_input(), "--output", dir_ + "/out.jsonl"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(server_.requests().empty());

  // Known options still work.
  r = run_process(chat({"--option", "max_tokens_cap=100", "--option", "project=p", "hi"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(CliErrors, AConfigWithOneModelNeedsNoName) {
  const std::string config =
      write("one.json", R"({"models":{"only":{"provider":"openai","model":"m","keys":["k"],)"
                        R"("api_base":")" +
                            server_.base_url() + R"(/v1"}}})");
  auto r = run_process({LLMRT_TEST_CLI, "chat", "--config", config, "hi"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(server_.requests().size(), 1u);

  // With two, the name is still needed, and the error lists them.
  const std::string two = write("two.json", R"({"models":{"x":{"provider":"openai","model":"m"},)"
                                            R"("y":{"provider":"openai","model":"m"}}})");
  r = run_process({LLMRT_TEST_CLI, "chat", "--config", two, "hi"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "--name")) << r.err;
  EXPECT_TRUE(contains(r.err, "x, y")) << r.err;
}

TEST_F(CliErrors, TheConfigsPluginFoldersAreSearched) {
  // The fixture plugin "fixture" lives only in that folder; it posts the model name as the body.
  const std::string config = write(
      "plugins.json", R"({"plugin_paths":[")" + std::string(LLMRT_TEST_FIXTURE_DIR) +
                          R"(/mixed"],"models":{"a":{"provider":"fixture","model":"hello-model",)"
                          R"("keys":["k"],"api_base":")" +
                          server_.base_url() + R"(/v1"}}})");
  auto r = run_process({LLMRT_TEST_CLI, "chat", "--config", config, "hi"});
  EXPECT_FALSE(contains(r.err, "no provider plugin named")) << r.err;
  ASSERT_EQ(server_.requests().size(), 1u) << r.err;
  EXPECT_EQ(server_.requests()[0].body, "hello-model");
}

TEST_F(CliErrors, AJsonSyntaxErrorInAConfigGivesFileLineAndColumn) {
  const std::string config = write("syntax.json", "{\n  \"models\": {\n    \"a\": {,\n");
  auto r = run_process({LLMRT_TEST_CLI, "chat", "--config", config, "--name", "a", "hi"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, config + ": line 3, column 11")) << r.err;
  EXPECT_FALSE(contains(r.err, "offset")) << r.err;
}

// --- tokenize -------------------------------------------------------------------------------

TEST_F(CliErrors, TheReadmeCountExampleWorksAsWritten) {
  const fs::path readme = fs::path(LLMRT_TEST_DATA_DIR).parent_path().parent_path() / "README.md";
  ASSERT_TRUE(fs::exists(readme));
  auto r = run_process({"/bin/sh", "-c", "exec \"$0\" tokenize --model gpt-4 --count - < \"$1\"",
                        LLMRT_TEST_CLI, readme.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(std::atol(r.out.c_str()), 1000) << r.out;

  // Special tokens in a text are text by default; --special reject or allow still choose.
  r = run_process({LLMRT_TEST_CLI, "tokenize", "--model", "gpt-4o", "--count"}, "<|endoftext|>");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "7\n");
  r = run_process(
      {LLMRT_TEST_CLI, "tokenize", "--model", "gpt-4o", "--special", "reject", "<|endoftext|>"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(CliErrors, TokenizeTakesTheModelFromAConfig) {
  const std::string config =
      write("tok.json", R"({"models":{"fast":{"provider":"openai","model":"gpt-4o"},)"
                        R"("old":{"provider":"openai","model":"gpt-4"}}})");
  auto r = run_process(
      {LLMRT_TEST_CLI, "tokenize", "--config", config, "--name", "fast", "hello world"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "24912 2375\n");
  r = run_process({LLMRT_TEST_CLI, "tokenize", "--config", config, "--name", "old", "hello world"});
  EXPECT_EQ(r.out, "15339 1917\n");
  r = run_process({LLMRT_TEST_CLI, "tokenize", "--config", config, "--name", "nope", "hi"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "no model or route named 'nope'")) << r.err;
}

// --messages with a configuration: the roles as its model's meta template maps them, as chat
// and Python's count_tokens do (the default template took 'tool' and refused 'observer').
TEST_F(CliErrors, TokenizeMapsTheRolesOfMessagesWithTheConfigsTemplate) {
  const std::string config =
      write("roles.json",
            R"({"models":{"m":{"provider":"openai","model":"gpt-4o","meta_template":[)"
            R"({"role":"user","api_role":"user"},{"role":"observer","api_role":"user"}]}}})");
  const std::string observer = write("observer.json", R"([{"role":"observer","content":"hi"}])");
  const std::string tool =
      write("tool.json", R"([{"role":"tool","content":"hi","tool_call_id":"c"}])");
  auto r = run_process({LLMRT_TEST_CLI, "tokenize", "--config", config, "--messages", observer});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = run_process({LLMRT_TEST_CLI, "tokenize", "--config", config, "--messages", tool});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(contains(r.err, "messages " + tool + ": message 0 has unknown role 'tool'")) << r.err;
}

}  // namespace
}  // namespace llmrt
