// Ctrl-C during `llmrt chat`: the call is cancelled, what arrived is kept and said to be
// partial, and the exit status is 130; SIGTERM and SIGHUP alike, with 143 and 129.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <signal.h>

#include <chrono>

#include "llmrt/mock/mock_server.h"
#include "support/cli_args.h"
#include "support/live_process.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

using test::lines_of;

class ChatInterrupt : public ::testing::Test {
 protected:
  // A reply of 200 chunks, 50 ms apart: still streaming when the test presses Ctrl-C.
  std::vector<std::string> slow_chat(std::vector<std::string> extra) const {
    extra.insert(extra.begin(), {"--param", R"(mock={"chunks":200,"delay_ms":50})"});
    return test::chat_argv(LLMRT_TEST_CLI, server_.base_url(), extra);
  }
  // Ctrl-C (or `signal`) once `ready` holds; the process must then end within 5 s.
  test::ProcessResult interrupt_when(
      test::LiveProcess& chat,
      const std::function<bool(const std::string&, const std::string&)>& ready,
      int signal = SIGINT) {
    EXPECT_TRUE(chat.wait_until(ready)) << chat.err();
    const auto pressed = std::chrono::steady_clock::now();
    chat.signal(signal);
    test::ProcessResult r = chat.finish();
    EXPECT_LT(std::chrono::steady_clock::now() - pressed, std::chrono::seconds(5));
    return r;
  }

  mock::MockServer server_;
};

TEST_F(ChatInterrupt, StreamEventsEndWithACancelledErrorCarryingThePartialText) {
  test::LiveProcess chat(slow_chat({"--stream", "--events", "hi"}));
  auto r = interrupt_when(
      chat, [](const std::string& out, const std::string&) { return lines_of(out).size() >= 3; });
  EXPECT_EQ(r.exit_code, 130) << r.err;
  std::vector<std::string> lines = lines_of(r.out);
  ASSERT_GE(lines.size(), 4u) << r.out;
  std::string deltas;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    rapidjson::Document delta;
    delta.Parse(lines[i].c_str());
    ASSERT_STREQ(delta["type"].GetString(), "delta") << lines[i];
    deltas += delta["content"].GetString();
  }
  rapidjson::Document last;
  last.Parse(lines.back().c_str());
  ASSERT_FALSE(last.HasParseError()) << lines.back();
  EXPECT_STREQ(last["type"].GetString(), "error");
  EXPECT_STREQ(last["kind"].GetString(), "cancelled");
  EXPECT_EQ(last["partial_content"].GetString(), deltas);
  EXPECT_FALSE(deltas.empty());
  EXPECT_NE(r.err.find("llmrt: interrupted"), std::string::npos) << r.err;
}

// A service manager's stop or a closed terminal: the same end as Ctrl-C, not a silent death
// without the error event that says the text is partial.
TEST_F(ChatInterrupt, SigtermAndSighupEndTheCallAsCtrlCDoes) {
  for (auto [signal, status] : {std::pair{SIGTERM, 143}, std::pair{SIGHUP, 129}}) {
    test::LiveProcess chat(slow_chat({"--stream", "--events", "hi"}));
    auto r = interrupt_when(
        chat, [](const std::string& out, const std::string&) { return lines_of(out).size() >= 2; },
        signal);
    EXPECT_EQ(r.exit_code, status) << r.err;
    std::vector<std::string> lines = lines_of(r.out);
    ASSERT_FALSE(lines.empty());
    rapidjson::Document last;
    last.Parse(lines.back().c_str());
    ASSERT_FALSE(last.HasParseError()) << lines.back();
    EXPECT_STREQ(last["kind"].GetString(), "cancelled");
    EXPECT_NE(r.err.find("llmrt: interrupted"), std::string::npos) << r.err;
  }
}

TEST_F(ChatInterrupt, PlainStreamKeepsThePartialTextEndsTheLineAndSaysSo) {
  test::LiveProcess chat(slow_chat({"--stream", "hi"}));
  auto r = interrupt_when(
      chat, [](const std::string& out, const std::string&) { return out.size() >= 20; });
  EXPECT_EQ(r.exit_code, 130) << r.err;
  ASSERT_GE(r.out.size(), 20u);
  EXPECT_EQ(r.out.back(), '\n');
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << r.out;  // one line: the partial reply
  EXPECT_NE(r.err.find("llmrt: interrupted"), std::string::npos) << r.err;
}

TEST_F(ChatInterrupt, AWholeReplyBeingWaitedForIsCancelled) {
  std::vector<std::string> argv = test::chat_argv(LLMRT_TEST_CLI, server_.base_url(),
                                                  {"--param", R"(mock={"stall_ms":20000})", "hi"});
  test::LiveProcess chat(argv);
  auto r = interrupt_when(
      chat, [&](const std::string&, const std::string&) { return !server_.requests().empty(); });
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("llmrt: interrupted"), std::string::npos) << r.err;
}

// Started with Ctrl-C ignored (nohup, a script's background job), llmrt keeps ignoring it and
// still ends normally.
TEST_F(ChatInterrupt, IgnoredCtrlCStaysIgnored) {
  std::vector<std::string> argv{"/bin/sh", "-c", "trap '' INT; exec \"$0\" \"$@\""};
  for (const std::string& arg :
       test::chat_argv(LLMRT_TEST_CLI, server_.base_url(),
                       {"--stream", "--param", R"(mock={"chunks":10,"delay_ms":50})", "hi"})) {
    argv.push_back(arg);
  }
  test::LiveProcess chat(argv);
  auto r =
      interrupt_when(chat, [](const std::string& out, const std::string&) { return !out.empty(); });
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

}  // namespace
}  // namespace llmrt
