// The mock server's rate limit (MockServer::Options::rate_limit, `mock-server --rpm`) through
// real HTTP: what a client over the limit is told, and what the accepted replies say is left.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <thread>

#include "llmrt/mock/mock_server.h"
#include "support/background_process.h"
#include "support/cli_args.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

using test::run_process;

struct Reply {
  int status = 0;
  std::string head;
  std::string body;

  // The value of header `name` (compared case-insensitively), or "" when absent.
  std::string header(std::string name) const {
    auto lower = [](std::string text) {
      std::transform(text.begin(), text.end(), text.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      return text;
    };
    const std::string head_lower = lower(head);
    const std::size_t at = head_lower.find("\r\n" + lower(name) + ": ");
    if (at == std::string::npos) return "";
    const std::size_t start = at + 4 + name.size();
    return head.substr(start, head.find("\r\n", start) - start);
  }
};

// POSTs a chat request to `url` `count` times over one keep-alive connection (one curl run);
// returns the replies in order.
std::vector<Reply> post(const std::string& url, int count) {
  std::vector<std::string> argv{"/usr/bin/curl",
                                "-s",
                                "-i",
                                "-X",
                                "POST",
                                "-H",
                                "Content-Type: application/json",
                                "-d",
                                R"({"model":"m","messages":[{"role":"user","content":"hi"}]})"};
  for (int i = 0; i < count; ++i) argv.push_back(url);
  auto r = run_process(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<Reply> replies;
  for (std::size_t at = r.out.find("HTTP/1.1 "); at != std::string::npos;) {
    std::size_t next = r.out.find("HTTP/1.1 ", at + 1);
    std::string text = r.out.substr(at, next == std::string::npos ? next : next - at);
    std::size_t blank = text.find("\r\n\r\n");
    Reply reply;
    reply.status = std::stoi(text.substr(9, 3));
    reply.head = text.substr(0, blank + 2);
    reply.body = blank == std::string::npos ? "" : text.substr(blank + 4);
    replies.push_back(std::move(reply));
    at = next;
  }
  EXPECT_EQ(replies.size(), static_cast<std::size_t>(count)) << r.out;
  return replies;
}

TEST(MockRateLimit, ABurstOverTheLimitIsAnswered429WithRateLimitHeaders) {
  mock::MockServer server({.rate_limit = {.requests = 3, .window = std::chrono::seconds(60)}});
  std::vector<Reply> replies = post(server.base_url() + "/v1/chat/completions", 5);
  ASSERT_EQ(replies.size(), 5u);
  for (int i = 0; i < 3; ++i) {
    const Reply& accepted = replies[static_cast<std::size_t>(i)];
    EXPECT_EQ(accepted.status, 200) << accepted.head;
    EXPECT_EQ(accepted.header("x-ratelimit-limit-requests"), "3") << accepted.head;
    EXPECT_EQ(accepted.header("x-ratelimit-remaining-requests"), std::to_string(2 - i))
        << accepted.head;
    EXPECT_EQ(accepted.header("x-ratelimit-reset-requests").back(), 's') << accepted.head;
    EXPECT_EQ(accepted.header("retry-after"), "") << accepted.head;
  }
  for (int i = 3; i < 5; ++i) {
    const Reply& refused = replies[static_cast<std::size_t>(i)];
    EXPECT_EQ(refused.status, 429) << refused.head;
    EXPECT_EQ(refused.header("x-ratelimit-limit-requests"), "3") << refused.head;
    EXPECT_EQ(refused.header("x-ratelimit-remaining-requests"), "0") << refused.head;
    // The oldest accepted request leaves the window at most a minute from now.
    const std::string retry_after = refused.header("retry-after");
    ASSERT_FALSE(retry_after.empty()) << refused.head;
    EXPECT_GE(std::stoi(retry_after), 1);
    EXPECT_LE(std::stoi(retry_after), 60);
    const std::string reset = refused.header("x-ratelimit-reset-requests");
    ASSERT_GE(reset.size(), 2u) << refused.head;
    EXPECT_EQ(reset.back(), 's') << reset;
    EXPECT_NE(refused.body.find("rate_limit_exceeded"), std::string::npos) << refused.body;
  }
  // The server's record: every arrival in order, with the status it got.
  std::vector<mock::RecordedRequest> recorded = server.requests();
  ASSERT_EQ(recorded.size(), 5u);
  std::vector<int> statuses;
  for (const auto& r : recorded) statuses.push_back(r.status);
  EXPECT_EQ(statuses, (std::vector<int>{200, 200, 200, 429, 429}));
  for (std::size_t i = 1; i < recorded.size(); ++i) {
    EXPECT_LE(recorded[i - 1].received, recorded[i].received);
  }
}

// "1.2s", "0.5s" or "120ms" as the server writes it, in milliseconds.
int reset_ms(const std::string& reset) {
  if (reset.size() > 2 && reset.substr(reset.size() - 2) == "ms") {
    return std::stoi(reset.substr(0, reset.size() - 2));
  }
  EXPECT_FALSE(reset.empty());
  EXPECT_EQ(reset.back(), 's') << reset;
  return static_cast<int>(std::ceil(std::stod(reset.substr(0, reset.size() - 1)) * 1000));
}

TEST(MockRateLimit, RoomComesBackWhenTheResetSays) {
  mock::MockServer server({.rate_limit = {.requests = 2, .window = std::chrono::seconds(2)}});
  const std::string url = server.base_url() + "/v1/chat/completions";
  std::vector<Reply> first = post(url, 3);
  ASSERT_EQ(first.size(), 3u);
  ASSERT_EQ(first[2].status, 429);
  const int ms = reset_ms(first[2].header("x-ratelimit-reset-requests"));
  EXPECT_GT(ms, 0);
  EXPECT_LE(ms, 2000);
  EXPECT_EQ(first[2].header("retry-after"), "2");  // whole seconds, rounded up
  std::this_thread::sleep_for(std::chrono::milliseconds(ms + 1));
  std::vector<Reply> later = post(url, 1);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].status, 200) << later[0].head;
}

TEST(MockRateLimit, WithoutALimitRepliesCarryNoRateLimitHeaders) {
  mock::MockServer server;
  std::vector<Reply> replies = post(server.base_url() + "/v1/chat/completions", 2);
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[1].status, 200);
  EXPECT_EQ(replies[1].header("x-ratelimit-remaining-requests"), "");
  EXPECT_EQ(server.requests().at(1).status, 200);
}

TEST(MockRateLimit, OtherProtocolsAnswerWithTheirOwnRateLimitError) {
  mock::MockServer server({.rate_limit = {.requests = 1, .window = std::chrono::seconds(60)}});
  auto chat = [&] {
    return run_process({LLMRT_TEST_CLI, "chat", "--provider", "anthropic", "--model", "m",
                        "--api-base", server.base_url() + "/v1", "--key", "k", "--retry", "0",
                        "hi"});
  };
  auto r = chat();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = chat();
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.err.find("rate_limited"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("HTTP 429"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rate_limit_error"), std::string::npos) << r.err;  // Anthropic's type
}

TEST(MockRateLimitCli, RpmLimitsTheServerStartedFromTheCommandLine) {
  int port = test::free_loopback_port();
  test::BackgroundProcess server({LLMRT_TEST_CLI, "mock-server", "--port", std::to_string(port),
                                  "--rpm", "1", "--rate-window", "120"});
  ASSERT_TRUE(test::wait_for_port(port));
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  auto r = run_process(test::chat_argv(LLMRT_TEST_CLI, base, {"hi"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<Reply> refused = post(base + "/v1/chat/completions", 1);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].status, 429);
  EXPECT_EQ(refused[0].header("x-ratelimit-limit-requests"), "1");
  // The window is two minutes: the oldest request leaves it in more than one.
  EXPECT_GT(std::stoi(refused[0].header("retry-after")), 60) << refused[0].head;
}

TEST(MockRateLimitCli, BadRateOptionsAreUsageErrors) {
  for (const auto& [option, value] : std::vector<std::pair<std::string, std::string>>{
           {"--rpm", "-1"}, {"--rpm", "many"}, {"--rate-window", "0"}, {"--rate-window", "-5"}}) {
    auto r = run_process(
        {"/usr/bin/timeout", "5", LLMRT_TEST_CLI, "mock-server", "--port", "0", option, value});
    EXPECT_EQ(r.exit_code, 2) << option << " " << value << r.out;
    EXPECT_NE(r.err.find(option), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("listening"), std::string::npos) << r.out;
  }
  auto help = run_process({LLMRT_TEST_CLI, "mock-server", "--help"});
  EXPECT_NE(help.out.find("--rpm"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("--rate-window"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace llmrt
