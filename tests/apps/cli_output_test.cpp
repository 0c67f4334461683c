// What the CLI writes: never lost while it reports success, stopped when nobody reads any more,
// valid UTF-8 in every JSON line, and server text that cannot drive the terminal.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "llmrt/mock/mock_server.h"
#include "support/cli_args.h"
#include "support/run_process.h"

extern char** environ;

namespace llmrt {
namespace {

using test::lines_of;
using test::run_process;

class CliOutput : public ::testing::Test {
 protected:
  std::vector<std::string> chat(const std::vector<std::string>& extra) const {
    return test::chat_argv(LLMRT_TEST_CLI, server_.base_url(), extra);
  }
  // The same command with stdout going to `file` (a shell redirection).
  static std::vector<std::string> redirected(std::vector<std::string> argv,
                                             const std::string& file) {
    std::vector<std::string> shell{"/bin/sh", "-c", "exec \"$0\" \"$@\" > " + file};
    shell.insert(shell.end(), argv.begin(), argv.end());
    return shell;
  }
  // Every line is JSON and valid UTF-8 (RapidJSON checks the encoding when asked to).
  static void expect_valid_json_lines(const std::string& text) {
    for (const std::string& line : lines_of(text)) {
      rapidjson::Document doc;
      doc.Parse<rapidjson::kParseValidateEncodingFlag>(line.data(), line.size());
      EXPECT_FALSE(doc.HasParseError()) << rapidjson::GetParseError_En(doc.GetParseError())
                                        << " at " << doc.GetErrorOffset() << " in " << line;
    }
  }

  mock::MockServer server_;
};

TEST_F(CliOutput, AFullStdoutIsAnErrorNotASuccess) {
  for (const auto& extra : std::vector<std::vector<std::string>>{
           {"hi"}, {"--stream", "hi"}, {"--events", "hi"}, {"--stream", "--events", "hi"}}) {
    auto r = run_process(redirected(chat(extra), "/dev/full"));
    EXPECT_EQ(r.exit_code, 1) << extra.front() << ": " << r.err;
    EXPECT_NE(r.err.find("llmrt: cannot write stdout: No space left on device"), std::string::npos)
        << r.err;
  }
  auto r = run_process(
      redirected({LLMRT_TEST_CLI, "tokenize", "--model", "gpt-4o", "hello"}, "/dev/full"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
}

// Started with stdout closed (`llmrt chat hi >&-`): descriptor 1 was the next the connection
// got, so the reply went back to the API server and the exit status said success. Now the
// writes fail as writes to a closed descriptor do, and the server sees only the request.
TEST_F(CliOutput, AClosedStdoutAtTheStartIsAnErrorAndNothingGoesToTheServer) {
  for (const auto& extra : std::vector<std::vector<std::string>>{
           {"hi"}, {"--stream", "hi"}, {"--events", "hi"}, {"--stream", "--events", "hi"}}) {
    const std::size_t before = server_.requests().size();
    std::vector<std::string> closed{"/bin/sh", "-c", "exec \"$0\" \"$@\" >&-"};
    for (const std::string& arg : chat(extra)) closed.push_back(arg);
    auto r = run_process(closed);
    EXPECT_EQ(r.exit_code, 1) << extra.front() << ": " << r.err;
    EXPECT_NE(r.err.find("llmrt: cannot write stdout: Bad file descriptor"), std::string::npos)
        << r.err;
    // One request, whole, and nothing after it on its connection (the mock server would have
    // read the reply's bytes as a second request).
    EXPECT_EQ(server_.requests().size(), before + 1) << r.err;
  }
}

// A streamed chat whose reader goes away after one byte (`| head -c1`). The test process
// ignores SIGPIPE and the child inherits that, as under many supervisors; the CLI must stop the
// download when its write fails with EPIPE instead of reading the whole stream.
TEST_F(CliOutput, AClosedStdoutStopsTheStreamAtOnce) {
  signal(SIGPIPE, SIG_IGN);
  // 100,000 chunks 1 ms apart: more than 100 s if the whole stream were read.
  std::vector<std::string> argv =
      chat({"--stream", "--param", R"(mock={"chunks":100000,"delay_ms":1})", "hi"});
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  posix_spawn_file_actions_addclose(&actions, out[1]);
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  char byte = 0;
  ASSERT_EQ(read(out[0], &byte, 1), 1);
  close(out[0]);  // the reader is gone
  const auto closed = std::chrono::steady_clock::now();

  int status = 0;
  pid_t done = 0;
  while ((done = waitpid(pid, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() - closed < std::chrono::seconds(20)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (done == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    FAIL() << "llmrt went on reading the stream after its stdout was closed";
  }
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 141);  // README, "Exit status"
  // The server's handler saw the connection go away: stopping it does not wait for 100 s.
  const auto stopping = std::chrono::steady_clock::now();
  server_.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::seconds(10));
}

TEST_F(CliOutput, ServerTextIsPrintedWithItsControlCharactersEscaped) {
  const std::string forged =
      R"({"error":{"message":"bad\u001b[2J\nllmrt: all good\r\u0007 \u009b1m","type":"invalid_request_error","code":"x\u001b"}})";
  for (bool stream : {false, true}) {
    mock::Scenario s;
    s.status = 400;
    s.error_body = forged;
    server_.push(s);
    std::vector<std::string> extra{"hi"};
    if (stream) extra.insert(extra.begin(), "--stream");
    auto r = run_process(chat(extra));
    EXPECT_EQ(r.exit_code, 1);
    for (char c : std::string("\x1b\a\r")) {
      EXPECT_EQ(r.err.find(c), std::string::npos) << static_cast<int>(c) << " in " << r.err;
    }
    EXPECT_EQ(r.err.find("\xC2\x9B"), std::string::npos) << r.err;  // C1 CSI
    EXPECT_EQ(lines_of(r.err).size(), 1u) << r.err;
    EXPECT_NE(r.err.find(R"(bad\x1b[2J\nllmrt: all good\r\x07 \u009b1m)"), std::string::npos)
        << r.err;
  }
}

// A NUL in the server's message is shown escaped, and what follows it is still printed (what()
// is a C string: it would have stopped there, the URL and the rest of the message lost).
TEST_F(CliOutput, AServerMessageWithANulIsPrintedWhole) {
  for (bool stream : {false, true}) {
    mock::Scenario s;
    s.status = 400;
    s.error_body = R"({"error":{"message":"before\u0000after","type":"invalid_request_error"}})";
    server_.push(s);
    std::vector<std::string> extra{"hi"};
    if (stream) extra.insert(extra.begin(), "--stream");
    auto r = run_process(chat(extra));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err.find('\0'), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(R"(before\x00after)"), std::string::npos) << r.err;
    EXPECT_EQ(lines_of(r.err).size(), 1u) << r.err;
  }
}

TEST_F(CliOutput, InvalidUtf8FromTheServerBecomesReplacementCharactersInJsonLines) {
  mock::Scenario s;
  s.content = "caf\xE9 au \xF0\x9F\x98 lait \xC3\xA9";
  const std::string repaired = "caf\xEF\xBF\xBD au \xEF\xBF\xBD lait \xC3\xA9";
  for (bool stream : {false, true}) {
    server_.push(s);
    std::vector<std::string> extra{"--events", "hi"};
    if (stream) extra.insert(extra.begin(), "--stream");
    auto r = run_process(chat(extra));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_valid_json_lines(r.out);
    rapidjson::Document end;
    end.Parse(lines_of(r.out).back().c_str());
    EXPECT_EQ(std::string(end["content"].GetString(), end["content"].GetStringLength()), repaired);
  }
  // An error message with invalid bytes, in the --events error line.
  mock::Scenario e;
  e.status = 400;
  e.error_body = "{\"error\":{\"message\":\"bad \xFF byte\",\"type\":\"x\",\"code\":\"y\"}}";
  server_.push(e);
  auto r = run_process(chat({"--events", "hi"}));
  EXPECT_EQ(r.exit_code, 1);
  expect_valid_json_lines(r.out);
  EXPECT_NE(r.out.find("bad \xEF\xBF\xBD byte"), std::string::npos) << r.out;

  // decode of a capture with invalid bytes, as events and as raw SSE events.
  const std::string capture =
      "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\xFFlo\"}}]}\n\n"
      "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
  r = run_process({LLMRT_TEST_CLI, "decode", "--provider", "openai"}, capture);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  expect_valid_json_lines(r.out);
  EXPECT_NE(r.out.find("Hel\xEF\xBF\xBDlo"), std::string::npos) << r.out;
  r = run_process({LLMRT_TEST_CLI, "decode", "--sse"}, capture);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  expect_valid_json_lines(r.out);
}

}  // namespace
}  // namespace llmrt
