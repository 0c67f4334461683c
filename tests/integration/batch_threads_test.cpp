// A batch's conversations shared by several threads' event loops (BatchOptions::threads), over
// real HTTP to the mock server: every item answered once, on_item still one call at a time
// across the threads, a wait in it holding up no loop, and its exception coming back from
// whichever thread threw it.
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/e2e_fixture.h"

namespace llmrt::batch_threads_test {
namespace {

using namespace std::chrono_literals;
using BatchOnThreads = test::EndToEnd;

core::BatchItem item_with_mock(const std::string& text, const std::string& mock_json) {
  core::ParamOverrides o;
  o.set_json("mock", mock_json);
  return {{{.role = "user", .content = text}}, o};
}

// Items slow enough (a few milliseconds each) that every loop takes some of them.
std::vector<core::BatchItem> numbered_items(int count) {
  std::vector<core::BatchItem> items;
  for (int i = 0; i < count; ++i) {
    items.push_back(
        item_with_mock("item " + std::to_string(i),
                       R"({"content":"reply )" + std::to_string(i) + R"(","stall_ms":3})"));
  }
  return items;
}

// What on_item saw: written only inside it, so a second call running at once is a data race
// (ThreadSanitizer) as well as a count above one.
struct Reports {
  std::atomic<int> inside{0};
  int most_inside = 0;
  std::vector<std::size_t> indexes;
  std::set<std::thread::id> threads;

  void enter() { most_inside = std::max(most_inside, ++inside); }
  void leave() { --inside; }
};

TEST_F(BatchOnThreads, EveryItemIsAnsweredOnceAndReportedOneAtATimeFromEachLoop) {
  const std::vector<core::BatchItem> items = numbered_items(80);
  Reports reports;
  core::BatchOptions options;
  options.concurrency = 6;
  options.threads = 2;
  options.on_item = [&](std::size_t i, const core::BatchOutcome&) {
    reports.enter();
    reports.indexes.push_back(i);
    reports.threads.insert(std::this_thread::get_id());
    std::this_thread::sleep_for(100us);  // long enough for another to arrive meanwhile
    reports.leave();
  };
  const std::vector<core::BatchOutcome> outcomes = model().chat_batch(items, options);
  ASSERT_EQ(outcomes.size(), items.size());
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_TRUE(outcomes[i].ok()) << i << ": " << outcomes[i].error->what();
    EXPECT_EQ(outcomes[i].result->content, "reply " + std::to_string(i));
  }
  EXPECT_EQ(reports.most_inside, 1);
  std::sort(reports.indexes.begin(), reports.indexes.end());
  std::vector<std::size_t> each(items.size());
  for (std::size_t i = 0; i < each.size(); ++i) each[i] = i;
  EXPECT_EQ(reports.indexes, each);
  EXPECT_EQ(reports.threads.size(), 2u);
  EXPECT_EQ(reports.threads.count(std::this_thread::get_id()), 1u);  // the calling thread's loop
  std::set<std::string> connections;
  for (const mock::RecordedRequest& r : server_.requests()) connections.insert(r.peer);
  EXPECT_LE(connections.size(), 6u);  // kept alive and reused, one per conversation at most
  EXPECT_EQ(server_.requests().size(), items.size());
}

// Over plain HTTP each loop keeps to the connections it used last: taken in turn, a connection
// given back by one loop went mostly to the other (whose epoll never watched it, so the socket
// was asked before each request, and the first loop still woke for its replies).
TEST_F(BatchOnThreads, EachLoopKeepsToTheConnectionsItUsedLast) {
  const std::vector<core::BatchItem> items = numbered_items(400);
  std::vector<std::thread::id> reported_on(items.size());
  core::BatchOptions options;
  options.concurrency = 4;
  options.threads = 2;
  options.keep_outcomes = false;
  options.on_item = [&](std::size_t i, const core::BatchOutcome& o) {
    EXPECT_TRUE(o.ok()) << o.error->what();
    reported_on[i] = std::this_thread::get_id();
  };
  model().chat_batch(items, options);
  // Each connection (the server's peer) with the loops that sent on it, by the item's text.
  std::map<std::string, std::map<std::thread::id, int>> loops_of;
  for (const mock::RecordedRequest& r : server_.requests()) {
    const std::size_t at = r.body.find("item ");
    ASSERT_NE(at, std::string::npos) << r.body;
    const std::size_t i = std::stoul(r.body.substr(at + 5));
    ++loops_of[r.peer][reported_on.at(i)];
  }
  int requests = 0;
  int on_its_loop = 0;
  for (const auto& [peer, loops] : loops_of) {
    int most = 0;
    for (const auto& [loop, count] : loops) {
      requests += count;
      most = std::max(most, count);
    }
    on_its_loop += most;
  }
  EXPECT_EQ(requests, 400);
  EXPECT_GE(on_its_loop, 380) << "of " << requests << " requests on " << loops_of.size()
                              << " connections, sent by the loop that used each most";
}

// threads = 0: a loop for each core this thread may run on, at most kMaxBatchThreads.
TEST_F(BatchOnThreads, ZeroThreadsMeansALoopForEachCoreThisThreadMayRunOn) {
  cpu_set_t set;
  ASSERT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
  const auto cores = static_cast<std::size_t>(CPU_COUNT(&set));
  const std::vector<core::BatchItem> items = numbered_items(120);
  std::set<std::thread::id> threads;
  core::BatchOptions options;
  options.concurrency = 16;
  options.threads = 0;
  options.keep_outcomes = false;
  int failed = 0;
  options.on_item = [&](std::size_t, const core::BatchOutcome& o) {
    failed += o.ok() ? 0 : 1;
    threads.insert(std::this_thread::get_id());
  };
  model().chat_batch(items, options);
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(threads.size(), std::min(cores, core::kMaxBatchThreads));
}

// A conversation of another loop that finishes while on_item waits (through wait_in_batch)
// waits for its turn without stopping its loop: that loop's calls in flight read their
// replies meanwhile, and none passes its read timeout (which it would with the loop's thread
// blocked in a lock for the three seconds that on_item takes). A reply takes 100 ms against a
// 1 s read timeout: with 150 against 300 a loaded CI machine under ThreadSanitizer read past it.
TEST_F(BatchOnThreads, AWaitInOnItemHoldsUpNoLoopsCallsInFlight) {
  core::ModelConfig c = config();
  c.transport.read_timeout = 1s;
  c.retry.max_retries = 0;
  const std::vector<core::BatchItem> items(16, item_with_mock("slowish", R"({"stall_ms":100})"));
  Reports reports;
  core::BatchOptions options;
  options.concurrency = 8;
  options.threads = 2;
  options.keep_outcomes = false;
  int failed = 0;
  options.on_item = [&](std::size_t, const core::BatchOutcome& outcome) {
    reports.enter();
    if (!outcome.ok()) {
      ++failed;
      ADD_FAILURE() << outcome.error->what();
    }
    reports.threads.insert(std::this_thread::get_id());
    if (reports.indexes.empty()) core::wait_in_batch([] { std::this_thread::sleep_for(3s); });
    reports.indexes.push_back(0);
    reports.leave();
  };
  runtime_.model(c).chat_batch(items, options);
  EXPECT_EQ(reports.indexes.size(), items.size());
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(reports.most_inside, 1);
  EXPECT_EQ(reports.threads.size(), 2u);
}

// An exception from on_item on a thread the batch started is chat_batch's, once every item
// has been told.
TEST_F(BatchOnThreads, AnExceptionFromOnItemOnAnotherThreadIsRethrownAfterEveryItem) {
  const std::vector<core::BatchItem> items = numbered_items(40);
  const std::thread::id caller = std::this_thread::get_id();
  int told = 0;
  bool thrown = false;
  core::BatchOptions options;
  options.concurrency = 4;
  options.threads = 2;
  options.keep_outcomes = false;
  options.on_item = [&](std::size_t, const core::BatchOutcome&) {
    ++told;
    if (std::this_thread::get_id() != caller && !thrown) {
      thrown = true;
      throw std::runtime_error("from the other loop");
    }
  };
  try {
    model().chat_batch(items, options);
    ADD_FAILURE() << "chat_batch returned";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "from the other loop");
  }
  EXPECT_TRUE(thrown);
  EXPECT_EQ(told, 40);
}

}  // namespace
}  // namespace llmrt::batch_threads_test
