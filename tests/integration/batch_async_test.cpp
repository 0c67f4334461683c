// Batch and async calls through the loaded plugin and real HTTP to the mock server.
#include <atomic>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

#include "support/e2e_fixture.h"

namespace llmrt {
namespace {

using BatchAndAsync = test::EndToEnd;

TEST_F(BatchAndAsync, FiveHundredItemsWithFivePercentFailuresKeepTheirOrder) {
  // Items whose index is a multiple of 20 ask the mock for a 400: 25 failures in 500.
  std::vector<core::BatchItem> items;
  for (int i = 0; i < 500; ++i) {
    core::ParamOverrides o;
    o.set_json("mock", i % 20 == 0 ? R"({"status":400})"
                                   : R"({"content":"reply )" + std::to_string(i) + R"("})");
    items.push_back({{{.role = "user", .content = "item " + std::to_string(i)}}, o});
  }
  std::atomic<int> reported{0};
  core::BatchOptions options;
  options.on_item = [&](std::size_t, const core::BatchOutcome&) { ++reported; };
  auto started = std::chrono::steady_clock::now();
  std::vector<core::BatchOutcome> outcomes = model().chat_batch(items, options);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  RecordProperty("batch_500_seconds", std::to_string(seconds));

  ASSERT_EQ(outcomes.size(), 500u);
  int failures = 0;
  for (int i = 0; i < 500; ++i) {
    const core::BatchOutcome& o = outcomes[static_cast<std::size_t>(i)];
    if (i % 20 == 0) {
      ASSERT_FALSE(o.ok()) << i;
      EXPECT_EQ(o.error->kind(), ErrorKind::bad_request);
      ++failures;
    } else {
      ASSERT_TRUE(o.ok()) << i << ": " << o.error->what();
      EXPECT_EQ(o.result->content, "reply " + std::to_string(i));
    }
  }
  EXPECT_EQ(failures, 25);
  EXPECT_EQ(reported.load(), 500);
  EXPECT_EQ(server_.requests().size(), 500u);
}

// Outcomes not kept: each reaches on_item, whole and once, on the loop and on threads alike
// (concurrency 1 runs on a thread), and chat_batch returns none.
TEST_F(BatchAndAsync, OutcomesNotKeptReachOnItemOnceEach) {
  std::vector<core::BatchItem> items;
  for (int i = 0; i < 60; ++i) {
    core::ParamOverrides o;
    o.set_json("mock", i % 10 == 0 ? R"({"status":400})"
                                   : R"({"content":"reply )" + std::to_string(i) + R"("})");
    items.push_back({{{.role = "user", .content = "item " + std::to_string(i)}}, o});
  }
  for (std::size_t concurrency : {std::size_t{1}, std::size_t{8}}) {
    std::vector<int> seen(items.size(), 0);
    core::BatchOptions options;
    options.concurrency = concurrency;
    options.keep_outcomes = false;
    options.on_item = [&](std::size_t i, const core::BatchOutcome& o) {
      ++seen.at(i);
      if (i % 10 == 0) {
        ASSERT_FALSE(o.ok()) << i;
        EXPECT_EQ(o.error->kind(), ErrorKind::bad_request);
      } else {
        ASSERT_TRUE(o.ok()) << i << ": " << o.error->what();
        EXPECT_EQ(o.result->content, "reply " + std::to_string(i));
      }
    };
    EXPECT_TRUE(model().chat_batch(items, options).empty()) << concurrency;
    EXPECT_EQ(seen, std::vector<int>(items.size(), 1)) << concurrency;
  }
}

TEST_F(BatchAndAsync, OutcomesNotKeptNeedOnItem) {
  core::BatchOptions options;
  options.keep_outcomes = false;
  try {
    model().chat_batch({core::BatchItem{hello_, {}}}, options);
    FAIL() << "a batch that loses every outcome ran";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    EXPECT_NE(std::string(e.what()).find("needs on_item"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(BatchAndAsync, ConcurrencyIsBounded) {
  std::vector<core::BatchItem> items(12, core::BatchItem{hello_, {}});
  mock::Scenario slow;
  slow.stall_before_headers = std::chrono::milliseconds(100);
  server_.set_default(slow);
  core::BatchOptions options;
  options.concurrency = 3;
  auto started = std::chrono::steady_clock::now();
  auto outcomes = model().chat_batch(items, options);
  auto elapsed = std::chrono::steady_clock::now() - started;
  for (const auto& o : outcomes) EXPECT_TRUE(o.ok());
  // 12 items three at a time take four rounds of the stall: never fewer.
  EXPECT_GE(elapsed, std::chrono::milliseconds(400));
  std::set<std::string> connections;
  for (const auto& r : server_.requests()) connections.insert(r.peer);
  EXPECT_LE(connections.size(), 3u);  // the workers share the keep-alive pool
}

TEST_F(BatchAndAsync, ChatAsyncReturnsAFuture) {
  std::future<ChatResult> a = model().chat_async(hello_);
  std::future<ChatResult> b = model().chat_async(hello_);
  EXPECT_EQ(a.get().content, mock::Scenario{}.full_content());
  EXPECT_EQ(b.get().content, mock::Scenario{}.full_content());
}

TEST_F(BatchAndAsync, ChatAsyncDeliversTheErrorThroughTheFuture) {
  mock::Scenario s;
  s.status = 401;
  server_.push(s);
  std::future<ChatResult> f = model().chat_async(hello_);
  try {
    f.get();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::auth);
  }
}

// 200 concurrent streams on one ChatModel, every third cancelled mid-stream: each ends with
// its whole reply or `cancelled` and the text it had.
TEST_F(BatchAndAsync, TwoHundredConcurrentStreamsSomeCancelled) {
  mock::Scenario s;
  s.chunks = 40;
  s.chunk_delay = std::chrono::milliseconds(5);
  server_.set_default(s);
  const std::string full = s.full_content();
  core::ChatModel m = model();
  struct Stream {
    std::mutex mutex;
    std::string text;
    std::atomic<int> deltas{0};
  };
  std::vector<std::unique_ptr<Stream>> received;
  std::vector<core::StreamHandle> handles;
  for (int i = 0; i < 200; ++i) {
    received.push_back(std::make_unique<Stream>());
    Stream* r = received.back().get();
    handles.push_back(m.stream_chat_async(hello_, {}, [r](const StreamEvent& e) {
      if (auto* d = std::get_if<ContentDelta>(&e)) {
        std::lock_guard lock(r->mutex);
        r->text += d->text;
        ++r->deltas;
      }
    }));
  }
  for (int i = 0; i < 200; i += 3) {
    while (received[static_cast<std::size_t>(i)]->deltas.load() < 2 &&
           !handles[static_cast<std::size_t>(i)].finished()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    handles[static_cast<std::size_t>(i)].cancel();
  }
  int completed = 0, cancelled = 0;
  for (int i = 0; i < 200; ++i) {
    auto& h = handles[static_cast<std::size_t>(i)];
    Stream& r = *received[static_cast<std::size_t>(i)];
    try {
      ChatResult result = h.wait();
      EXPECT_EQ(result.content, full) << i;
      std::lock_guard lock(r.mutex);
      EXPECT_EQ(r.text, full) << i;
      ++completed;
    } catch (const Error& e) {
      EXPECT_EQ(i % 3, 0) << "stream " << i << " failed: " << e.what();
      EXPECT_EQ(e.kind(), ErrorKind::cancelled) << e.what();
      std::lock_guard lock(r.mutex);
      EXPECT_EQ(e.partial_content(), r.text) << i;
      ++cancelled;
    }
  }
  EXPECT_EQ(completed + cancelled, 200);
  EXPECT_GE(completed, 133);
}

// An exception from on_item stays inside the batch: the other items still run and are
// reported, and chat_batch rethrows the first such exception once every item has finished.
// Before, it escaped a worker thread and std::terminate ended the process.
TEST_F(BatchAndAsync, AnExceptionFromOnItemIsRethrownAfterEveryItemRan) {
  std::vector<core::BatchItem> items(10, core::BatchItem{hello_, {}});
  std::mutex mutex;
  std::set<std::size_t> reported;
  core::BatchOptions options;
  options.concurrency = 3;
  options.on_item = [&](std::size_t i, const core::BatchOutcome& outcome) {
    EXPECT_TRUE(outcome.ok());
    {
      std::lock_guard lock(mutex);
      reported.insert(i);
    }
    if (i == 2 || i == 7) throw std::runtime_error("sink failed at " + std::to_string(i));
  };
  try {
    model().chat_batch(items, options);
    FAIL() << "expected the callback's exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("sink failed at"), std::string::npos);
  }
  EXPECT_EQ(reported.size(), 10u);
  EXPECT_EQ(server_.requests().size(), 10u);
}

// Invalid UTF-8 in a message is refused before anything is sent: a JSON body must be UTF-8.
TEST_F(BatchAndAsync, InvalidUtf8InAMessageIsABadRequestBeforeSending) {
  std::vector<Message> messages{{.role = "system", .content = "fine"},
                                {.role = "user", .content = "caf\xE9"}};
  auto expect_refused = [](const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    EXPECT_NE(std::string(e.what()).find("messages[1].content: invalid UTF-8 at byte 3"),
              std::string::npos)
        << e.what();
  };
  try {
    model().chat(messages);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    expect_refused(e);
  }
  try {
    model().stream_chat(messages);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    expect_refused(e);
  }
  auto outcomes = model().chat_batch({{messages, {}}, {hello_, {}}});
  ASSERT_FALSE(outcomes[0].ok());
  expect_refused(*outcomes[0].error);
  EXPECT_TRUE(outcomes[1].ok());
  EXPECT_EQ(server_.requests().size(), 1u);
}

}  // namespace
}  // namespace llmrt
