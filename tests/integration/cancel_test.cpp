// Cancellation reaches every call it was given to, in every phase (issue 12, items 3 and 4):
// a silent TLS handshake, a proxy that never answers CONNECT, every stalled item of a batch, a
// stream after its retry, a stream handle dropped while it stalls. The issue asks for 100 ms;
// the bounds here are 1 s so that a loaded machine does not fail them.
#include <future>
#include <optional>
#include <thread>

#include "llmrt/mock/silent_server.h"
#include "support/e2e_fixture.h"

namespace llmrt {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr milliseconds kCancelBound{1000};

// Waits (5 s at most) until `done` holds.
template <class Condition>
bool eventually(Condition&& done) {
  auto deadline = Clock::now() + seconds(5);
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

template <class T>
void expect_cancelled(std::future<T>& result) {
  try {
    result.get();
    ADD_FAILURE() << "the call succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::cancelled) << e.what();
  }
}

class Cancel : public test::EndToEnd {
 protected:
  core::ModelConfig stalling_config() const {
    core::ModelConfig c = config();
    c.transport.read_timeout = seconds(10);
    return c;
  }
  // A stream that sends its first event (the role chunk: no text) and then nothing for 20 s.
  static mock::Scenario stalled_stream() {
    mock::Scenario s;
    s.chunks = 5;
    s.chunk_delay = seconds(20);
    return s;
  }
  // Cancels `token` once `ready` holds and the call is surely blocked, and says whether the
  // call then ended within the bound.
  template <class T, class Ready>
  static bool cancel_when(Ready&& ready, core::CancelToken& token, std::future<T>& call) {
    EXPECT_TRUE(eventually(ready)) << "the call never reached the server";
    std::this_thread::sleep_for(milliseconds(300));
    EXPECT_NE(call.wait_for(seconds(0)), std::future_status::ready) << "the call did not block";
    auto cancelled_at = Clock::now();
    token.cancel();
    bool ended = call.wait_for(kCancelBound) == std::future_status::ready;
    if (!ended) call.wait();  // it ends by its own timeouts, later
    double took = std::chrono::duration<double>(Clock::now() - cancelled_at).count();
    testing::Test::RecordProperty("seconds_after_cancel", std::to_string(took));
    EXPECT_TRUE(ended) << "the call ended " << took << " s after cancel()";
    return ended;
  }
};

// --- Item 3: cancel() reaches inside the TLS handshake and the proxy's CONNECT --------------

TEST_F(Cancel, SilentTlsHandshakeEndsAtOnce) {
  mock::SilentServer silent;
  core::ModelConfig c = config();
  c.api_base = "https://" + silent.address() + "/v1";
  c.transport.connect_timeout = milliseconds(1000);
  c.transport.read_timeout = milliseconds(3000);
  auto token = std::make_shared<core::CancelToken>();
  std::future<ChatResult> call = runtime_.model(c).chat_async(hello_, {}, {.cancel = token});
  cancel_when([&] { return silent.accepted() >= 1; }, *token, call);
  expect_cancelled(call);
}

TEST_F(Cancel, ProxyThatNeverAnswersConnectEndsAtOnce) {
  mock::SilentServer proxy;
  core::ModelConfig c = config();
  c.api_base = "https://localhost:" + std::to_string(server_.port()) + "/v1";
  c.transport.proxy = "http://" + proxy.address();
  c.transport.read_timeout = milliseconds(8000);
  auto token = std::make_shared<core::CancelToken>();
  std::future<ChatResult> call = runtime_.model(c).chat_async(hello_, {}, {.cancel = token});
  cancel_when([&] { return proxy.accepted() >= 1; }, *token, call);
  expect_cancelled(call);
}

// --- Item 4: one cancellation, every call it was given to ----------------------------------

TEST_F(Cancel, CancellingABatchInterruptsEveryStalledItem) {
  mock::Scenario s;
  s.hold_after_body = seconds(20);  // the whole reply's body never ends: each item waits mid-body
  s.fault_limit = seconds(20);
  server_.set_default(s);
  core::ChatModel m = runtime_.model(stalling_config());
  std::vector<core::BatchItem> items(4, core::BatchItem{hello_, {}});
  core::BatchOptions options;
  options.concurrency = 4;
  options.cancel = std::make_shared<core::CancelToken>();
  std::future<std::vector<core::BatchOutcome>> batch =
      std::async(std::launch::async, [&] { return m.chat_batch(items, options); });
  cancel_when([&] { return server_.requests().size() == 4; }, *options.cancel, batch);
  std::vector<core::BatchOutcome> outcomes = batch.get();
  ASSERT_EQ(outcomes.size(), 4u);
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_FALSE(outcomes[i].ok()) << i;
    EXPECT_EQ(outcomes[i].error->kind(), ErrorKind::cancelled)
        << i << ": " << outcomes[i].error->what();
  }
}

TEST_F(Cancel, CancelAfterAStreamRetryInterruptsTheBlockedRead) {
  mock::Scenario cut;
  cut.cut_after_events = 1;  // after the role chunk: nothing reached the caller, so it is retried
  server_.push(cut);
  server_.push(stalled_stream());
  core::ModelConfig c = stalling_config();
  c.retry.max_retries = 1;
  auto token = std::make_shared<core::CancelToken>();
  core::ChatStream stream = runtime_.model(c).stream_chat(hello_, {}, {.cancel = token});
  std::future<std::string> read = std::async(std::launch::async, [&stream] {
    std::string text;
    for (const auto& chunk : stream) text += chunk.delta;
    return text;
  });
  cancel_when([&] { return server_.requests().size() == 2; }, *token, read);
  expect_cancelled(read);
  EXPECT_EQ(waits().size(), 1u);  // it was retried once
}

TEST_F(Cancel, DroppingAStalledStreamHandleReturnsAtOnce) {
  server_.push(stalled_stream());
  std::optional<core::StreamHandle> handle =
      runtime_.model(stalling_config()).stream_chat_async(hello_, {}, [](const StreamEvent&) {});
  ASSERT_TRUE(eventually([&] { return server_.requests().size() == 1; }));
  std::this_thread::sleep_for(milliseconds(300));
  ASSERT_FALSE(handle->finished());
  auto dropped_at = Clock::now();
  handle.reset();
  double took = std::chrono::duration<double>(Clock::now() - dropped_at).count();
  EXPECT_LT(took, std::chrono::duration<double>(kCancelBound).count())
      << "dropping the handle blocked until the stream ended";
}

}  // namespace
}  // namespace llmrt
