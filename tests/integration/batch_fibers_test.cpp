// A batch's conversations as fibers on the calling thread, over real HTTP to the mock server:
// what one conversation waits for (a stalled server, a read timeout, a retry's backoff) holds
// up no other, and on_item may itself make a call.
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/e2e_fixture.h"

namespace llmrt {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using BatchOnFibers = test::EndToEnd;

core::BatchItem item_with_mock(const std::string& text, const std::string& mock_json) {
  core::ParamOverrides o;
  if (!mock_json.empty()) o.set_json("mock", mock_json);
  return {{{.role = "user", .content = text}}, o};
}

TEST_F(BatchOnFibers, EveryItemIsAnsweredAndReportedOnTheCallingThread) {
  std::vector<core::BatchItem> items;
  for (int i = 0; i < 200; ++i) {
    items.push_back(item_with_mock("item " + std::to_string(i),
                                   R"({"content":"reply )" + std::to_string(i) + R"("})"));
  }
  std::set<std::thread::id> reporting_threads;
  core::BatchOptions options;
  options.concurrency = 20;
  options.on_item = [&](std::size_t, const core::BatchOutcome&) {
    reporting_threads.insert(std::this_thread::get_id());
  };
  std::vector<core::BatchOutcome> outcomes = model().chat_batch(items, options);
  ASSERT_EQ(outcomes.size(), 200u);
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_TRUE(outcomes[i].ok()) << i << ": " << outcomes[i].error->what();
    EXPECT_EQ(outcomes[i].result->content, "reply " + std::to_string(i));
  }
  EXPECT_EQ(reporting_threads, std::set<std::thread::id>{std::this_thread::get_id()});
  std::set<std::string> connections;
  for (const mock::RecordedRequest& r : server_.requests()) connections.insert(r.peer);
  EXPECT_LE(connections.size(), 20u);  // kept alive and reused, one per fiber at most
  EXPECT_EQ(server_.requests().size(), 200u);
}

// Megabytes of outcomes (their block advised to huge pages): every one its own item's answer.
TEST_F(BatchOnFibers, ABigBatchHasEveryOutcomeInItsPlace) {
  constexpr int kItems = 12'000;
  static_assert(kItems * sizeof(core::BatchOutcome) >= (std::size_t{6} << 20),
                "enough outcomes for whole huge pages whatever the allocator's alignment");
  std::vector<core::BatchItem> items;
  for (int i = 0; i < kItems; ++i) {
    items.push_back(item_with_mock("item " + std::to_string(i),
                                   R"({"content":"reply )" + std::to_string(i) + R"("})"));
  }
  std::vector<core::BatchOutcome> outcomes = model().chat_batch(items, {.concurrency = 20});
  ASSERT_EQ(outcomes.size(), static_cast<std::size_t>(kItems));
  int wrong = 0;
  for (int i = 0; i < kItems; ++i) {
    const core::BatchOutcome& o = outcomes[static_cast<std::size_t>(i)];
    if (!o.ok() || o.error || o.result->content != "reply " + std::to_string(i)) ++wrong;
  }
  EXPECT_EQ(wrong, 0);
}

// One fiber waits for a server that stalls; the other three take every other item meanwhile.
TEST_F(BatchOnFibers, AStalledItemHoldsUpNoOther) {
  std::vector<core::BatchItem> items{item_with_mock("slow", R"({"stall_ms":1500})")};
  for (int i = 1; i < 24; ++i) items.push_back(item_with_mock("quick", ""));
  std::vector<std::size_t> order;
  core::BatchOptions options;
  options.concurrency = 4;
  options.on_item = [&](std::size_t i, const core::BatchOutcome&) { order.push_back(i); };
  std::vector<core::BatchOutcome> outcomes = model().chat_batch(items, options);
  for (const core::BatchOutcome& o : outcomes) EXPECT_TRUE(o.ok()) << o.error->what();
  ASSERT_EQ(order.size(), 24u);
  EXPECT_EQ(order.back(), 0u);
}

TEST_F(BatchOnFibers, AnItemPastItsReadTimeoutFailsAlone) {
  core::ModelConfig c = config();
  c.transport.read_timeout = 300ms;
  std::vector<core::BatchItem> items{item_with_mock("silent", R"({"stall_ms":5000})")};
  for (int i = 1; i < 8; ++i) items.push_back(item_with_mock("quick", ""));
  core::BatchOptions options;
  options.concurrency = 4;
  auto start = Clock::now();
  std::vector<core::BatchOutcome> outcomes = runtime_.model(c).chat_batch(items, options);
  EXPECT_LT(Clock::now() - start, 4s);
  ASSERT_FALSE(outcomes[0].ok());
  EXPECT_EQ(outcomes[0].error->kind(), ErrorKind::timeout) << outcomes[0].error->what();
  EXPECT_NE(std::string(outcomes[0].error->what()).find("read timeout"), std::string::npos)
      << outcomes[0].error->what();
  for (std::size_t i = 1; i < outcomes.size(); ++i) {
    EXPECT_TRUE(outcomes[i].ok()) << i << ": " << outcomes[i].error->what();
  }
}

// An on_item that waits long through wait_in_batch holds up no call in flight: the others read
// their replies meanwhile and none passes its read timeout (which they would, waiting on the
// loop's thread for it); on_item is still told of each, one at a time, on the calling thread.
// The margins are wide (100 ms replies, 1 s timeout, 3 s wait) for a loaded machine under
// ThreadSanitizer.
TEST_F(BatchOnFibers, AWaitInOnItemThroughWaitInBatchLetsTheCallsInFlightGoOn) {
  core::ModelConfig c = config();
  c.transport.read_timeout = 1s;
  c.retry.max_retries = 0;
  std::vector<core::BatchItem> items(8, item_with_mock("slowish", R"({"stall_ms":100})"));
  std::set<std::thread::id> reporting_threads;
  int told = 0;
  core::BatchOptions options;
  options.concurrency = 4;
  options.keep_outcomes = false;
  options.on_item = [&](std::size_t, const core::BatchOutcome& outcome) {
    EXPECT_TRUE(outcome.ok()) << outcome.error->what();
    reporting_threads.insert(std::this_thread::get_id());
    if (told++ == 0) core::wait_in_batch([] { std::this_thread::sleep_for(3s); });
  };
  runtime_.model(c).chat_batch(items, options);
  EXPECT_EQ(told, 8);
  EXPECT_EQ(reporting_threads, std::set<std::thread::id>{std::this_thread::get_id()});
}

// wait_in_batch outside a batch's loop just runs the wait, and its exception comes back.
TEST(WaitInBatch, OffTheLoopItRunsTheWaitAndRethrows) {
  bool ran = false;
  core::wait_in_batch([&] { ran = true; });
  EXPECT_TRUE(ran);
  EXPECT_THROW(core::wait_in_batch([] { throw std::runtime_error("no room"); }),
               std::runtime_error);
}

// The backoff before a retry is really waited (no wait hook here), on a helper thread: the
// other items are done before it ends.
TEST_F(BatchOnFibers, ARetrysBackoffHoldsUpNoOther) {
  core::ModelConfig c = config();
  c.wait_hook = nullptr;
  c.retry.max_retries = 1;
  std::vector<core::BatchItem> items{
      item_with_mock("busy", R"({"status":503,"headers":{"Retry-After":"1"}})")};
  for (int i = 1; i < 12; ++i) items.push_back(item_with_mock("quick", ""));
  std::vector<std::size_t> order;
  core::BatchOptions options;
  options.concurrency = 3;
  options.on_item = [&](std::size_t i, const core::BatchOutcome&) { order.push_back(i); };
  auto start = Clock::now();
  std::vector<core::BatchOutcome> outcomes = runtime_.model(c).chat_batch(items, options);
  EXPECT_GE(Clock::now() - start, 1s);  // the server's Retry-After was waited out
  ASSERT_FALSE(outcomes[0].ok());
  EXPECT_EQ(outcomes[0].error->info().http_status, 503);
  ASSERT_EQ(order.size(), 12u);
  EXPECT_EQ(order.back(), 0u);
  // Two attempts for the busy item, one for each other.
  EXPECT_EQ(server_.requests().size(), 13u);
}

// A server that keeps every read busy (one byte of the head, a ping, a trailer line well within
// the read timeout) is stopped by the call's total deadline: the watchdog shuts the socket
// under the fiber's wait in epoll, as it does under a blocking read.
TEST_F(BatchOnFibers, TricklingServersEndAtTheTotalTimeout) {
  core::ModelConfig c = config();
  c.transport.read_timeout = 5s;
  c.transport.total_timeout = 800ms;
  core::ChatModel m = runtime_.model(c);
  for (const char* fault : {R"({"header_byte_ms":100,"fault_limit_ms":15000})",
                            R"({"hold_ms":15000,"ping_ms":50,"fault_limit_ms":15000})",
                            R"({"trailers":-1,"trailer_ms":100,"fault_limit_ms":15000})"}) {
    std::vector<core::BatchItem> items{item_with_mock("trickled", fault)};
    for (int i = 1; i < 6; ++i) items.push_back(item_with_mock("quick", ""));
    auto start = Clock::now();
    std::vector<core::BatchOutcome> outcomes = m.chat_batch(items, {.concurrency = 3});
    EXPECT_LT(Clock::now() - start, 4s) << fault;
    ASSERT_FALSE(outcomes[0].ok()) << fault;
    EXPECT_EQ(outcomes[0].error->kind(), ErrorKind::timeout)
        << fault << ": " << outcomes[0].error->what();
    for (std::size_t i = 1; i < outcomes.size(); ++i) {
      EXPECT_TRUE(outcomes[i].ok()) << fault << " " << i << ": " << outcomes[i].error->what();
    }
  }
}

// on_item runs on the loop, one at a time; a call made from it waits for its socket like any
// other fiber (a lock held across that wait must not stop the loop).
TEST_F(BatchOnFibers, OnItemMayMakeACallOfItsOwn) {
  core::ChatModel m = model();
  std::vector<core::BatchItem> items(10, core::BatchItem{hello_, {}});
  std::vector<std::string> follow_ups;
  int inside = 0;
  int most_inside = 0;
  core::BatchOptions options;
  options.concurrency = 5;
  options.on_item = [&](std::size_t, const core::BatchOutcome& o) {
    most_inside = std::max(most_inside, ++inside);
    if (o.ok()) follow_ups.push_back(m.chat(hello_).content);
    --inside;
  };
  std::vector<core::BatchOutcome> outcomes = m.chat_batch(items, options);
  for (const core::BatchOutcome& o : outcomes) EXPECT_TRUE(o.ok());
  EXPECT_EQ(most_inside, 1);
  ASSERT_EQ(follow_ups.size(), 10u);
  for (const std::string& f : follow_ups) EXPECT_EQ(f, mock::Scenario{}.full_content());
  EXPECT_EQ(server_.requests().size(), 20u);
}

}  // namespace
}  // namespace llmrt
