// A client rate budget against the mock server enforcing the same limit, through real HTTP:
// concurrent callers that take a permit before each request never collect a 429.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "llmrt/core/cancel_token.h"
#include "llmrt/core/runtime.h"
#include "llmrt/core/transport.h"
#include "llmrt/mock/mock_server.h"
#include "routing/rate_budget.h"

namespace llmrt {
namespace {

using std::chrono::milliseconds;

TEST(RateBudgetE2E, ConcurrentCallersWithinTheBudgetGetNo429) {
  constexpr int kLimit = 4;
  constexpr int kCalls = 24;
  const milliseconds window(500);
  mock::MockServer server({.rate_limit = {.requests = kLimit, .window = window}});
  core::RateBudget budget({.requests = kLimit, .tokens = 0, .window = window});
  core::Transport transport;
  core::CancelToken cancel;
  HttpRequest request;
  request.url = server.base_url() + "/v1/chat/completions";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = R"({"model":"m","messages":[{"role":"user","content":"hi"}]})";

  std::atomic<int> next{0};
  std::mutex mutex;
  std::vector<int> statuses;
  std::vector<std::string> remaining;
  std::vector<std::thread> callers;
  for (int t = 0; t < 8; ++t) {
    callers.emplace_back([&] {
      while (next.fetch_add(1) < kCalls) {
        core::RateBudget::Permit permit = budget.acquire(0, cancel, std::nullopt);
        auto response = transport.open(request);
        permit.settle();  // the response head is here: the server has counted the request
        budget.observe(response->headers(), core::RateBudget::Clock::now());
        response->read_all(1 << 20);
        const std::string* left =
            find_header(response->headers(), "x-ratelimit-remaining-requests");
        std::lock_guard lock(mutex);
        statuses.push_back(response->status());
        remaining.push_back(left == nullptr ? "" : *left);
      }
    });
  }
  for (std::thread& caller : callers) caller.join();

  ASSERT_EQ(statuses.size(), static_cast<std::size_t>(kCalls));
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), kCalls);
  std::vector<mock::RecordedRequest> recorded = server.requests();
  ASSERT_EQ(recorded.size(), static_cast<std::size_t>(kCalls));
  for (const mock::RecordedRequest& r : recorded) EXPECT_EQ(r.status, 200);
  // Every reply said what was left; the server was used up to its limit at some point.
  EXPECT_EQ(std::count(remaining.begin(), remaining.end(), ""), 0);
  EXPECT_NE(std::find(remaining.begin(), remaining.end(), "0"), remaining.end());
}

// A model limited to 240 rpm held over a 1 s window: 4 a second, as the mock server allows. No
// retries: a 429 would fail the call.
core::RuntimeConfig limited_to_four_a_second(const mock::MockServer& server) {
  core::ModelConfig model;
  model.name = "limited";
  model.provider = "openai";
  model.model = "gpt-4o-mini";
  model.api_base = server.base_url() + "/v1";
  model.keys = {"sk-test"};
  model.retry.max_retries = 0;
  model.rate_limits.rpm = 240;
  model.rate_limits.window = std::chrono::seconds(1);
  core::RuntimeConfig config;
  config.models = {{"limited", model}};
  return config;
}

// The same through a model's configured limits: rpm is per minute, held over the window (240
// rpm over a 1 s window: 4 a second, the mock server's own limit).
TEST(RateBudgetE2E, AModelsRpmOverAShortWindowKeepsItUnderTheServersLimit) {
  constexpr int kCalls = 16;
  mock::MockServer server({.rate_limit = {.requests = 4, .window = std::chrono::seconds(1)}});
  const core::RuntimeConfig config = limited_to_four_a_second(server);
  core::Runtime runtime(config, std::vector<std::filesystem::path>{LLMRT_TEST_PLUGIN_DIR});
  core::ChatModel chat = runtime.model("limited");

  std::atomic<int> next{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 8; ++t) {
    callers.emplace_back([&] {
      while (next.fetch_add(1) < kCalls) {
        try {
          chat.chat({{.role = "user", .content = "hi"}});
        } catch (const Error&) {
          ++failed;
        }
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(failed.load(), 0);
  std::vector<mock::RecordedRequest> recorded = server.requests();
  EXPECT_EQ(recorded.size(), static_cast<std::size_t>(kCalls));
  EXPECT_EQ(std::count_if(recorded.begin(), recorded.end(),
                          [](const mock::RecordedRequest& r) { return r.status == 429; }),
            0);
}

// A batch's conversations are fibers on one thread: a fiber waiting for room in the budget
// waits on a helper thread, and the budget still holds.
TEST(RateBudgetE2E, ABatchWaitsForRoomWithoutGoingOverTheServersLimit) {
  constexpr int kCalls = 12;
  mock::MockServer server({.rate_limit = {.requests = 4, .window = std::chrono::seconds(1)}});
  const core::RuntimeConfig config = limited_to_four_a_second(server);
  core::Runtime runtime(config, std::vector<std::filesystem::path>{LLMRT_TEST_PLUGIN_DIR});
  std::vector<core::BatchItem> items(kCalls,
                                     core::BatchItem{{{.role = "user", .content = "hi"}}, {}});
  auto start = std::chrono::steady_clock::now();
  std::vector<core::BatchOutcome> outcomes =
      runtime.model("limited").chat_batch(items, {.concurrency = 8});
  // Twelve at four a second: the last ones waited two windows.
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1900));
  for (const core::BatchOutcome& o : outcomes) EXPECT_TRUE(o.ok()) << o.error->what();
  std::vector<mock::RecordedRequest> recorded = server.requests();
  EXPECT_EQ(recorded.size(), static_cast<std::size_t>(kCalls));
  EXPECT_EQ(std::count_if(recorded.begin(), recorded.end(),
                          [](const mock::RecordedRequest& r) { return r.status == 429; }),
            0);
}

}  // namespace
}  // namespace llmrt
