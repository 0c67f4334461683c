// The C API's cancellation: a token or a stream cancelled from another thread ends the call with
// the text that arrived.
#include <gtest/gtest.h>

#include <future>
#include <string>
#include <thread>

#include "llmrt/mock/scenario.h"

#include "c_api_fixture.h"

namespace llmrt::capi_test {
namespace {

mock::Scenario slow_stream() {
  mock::Scenario s;
  s.content = "one two three four five six seven eight";
  s.chunk_delay = std::chrono::seconds(1);
  return s;
}

struct CancelOnFirstWord {
  SeenEvents seen;
  std::promise<void> first_word;
  bool told = false;
};

void cancel_on_first_word(const llmrt_event* e, void* user) {
  auto& state = *static_cast<CancelOnFirstWord*>(user);
  record(e, state.seen);
  if (e->type == LLMRT_EVENT_CONTENT && !state.told) {
    state.told = true;
    state.first_word.set_value();
  }
}

TEST_F(CApi, CancelFromAnotherThreadEndsACallbackStreamWithThePartialContent) {
  server_.push(slow_stream());
  llmrt_error* error = nullptr;
  Owned<llmrt_cancel> cancel(llmrt_cancel_new(&error));
  ASSERT_NE(cancel, nullptr);
  EXPECT_EQ(llmrt_cancel_is_cancelled(cancel.get()), 0);
  CancelOnFirstWord state;
  std::thread canceller([&, first = state.first_word.get_future()]() mutable {
    first.wait();
    llmrt_cancel_cancel(cancel.get());
  });
  Owned<llmrt_result> result(llmrt_chat_stream(model_.get(), kHello, nullptr, cancel.get(),
                                               cancel_on_first_word, &state, &error));
  canceller.join();
  EXPECT_EQ(result, nullptr);
  Owned<llmrt_error> e = failure(error);
  EXPECT_EQ(e->kind, LLMRT_CANCELLED) << e->describe;
  EXPECT_EQ(llmrt_cancel_is_cancelled(cancel.get()), 1);
  ASSERT_FALSE(state.seen.content.empty());
  EXPECT_EQ(std::string(e->partial_content), state.seen.content);
  EXPECT_LT(state.seen.content.size(), slow_stream().content.size());

  // Cancelling is final: a call given the token later ends at once, before any request.
  const std::size_t requests = server_.requests().size();
  EXPECT_EQ(llmrt_chat(model_.get(), kHello, nullptr, cancel.get(), &error), nullptr);
  EXPECT_EQ(failure(error)->kind, LLMRT_CANCELLED);
  EXPECT_EQ(server_.requests().size(), requests);
}

TEST_F(CApi, StreamCancelFromAnotherThreadWakesAPullWaitingForTheNextEvent) {
  server_.push(slow_stream());
  llmrt_error* error = nullptr;
  Owned<llmrt_stream> stream(llmrt_stream_open(model_.get(), kHello, nullptr, nullptr, &error));
  ASSERT_NE(stream, nullptr) << error->describe;
  std::promise<void> first_word;
  std::thread canceller([&, first = first_word.get_future()]() mutable {
    first.wait();
    llmrt_stream_cancel(stream.get());
  });
  std::string seen;
  const llmrt_event* event = nullptr;
  llmrt_code code = LLMRT_OK;
  while ((code = llmrt_stream_next(stream.get(), &event, &error)) == LLMRT_OK && event != nullptr) {
    if (event->type != LLMRT_EVENT_CONTENT) continue;
    if (seen.empty()) first_word.set_value();
    seen.append(event->text, event->text_size);
  }
  canceller.join();
  EXPECT_EQ(code, LLMRT_CANCELLED);
  Owned<llmrt_error> e = failure(error);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(std::string(e->partial_content), seen);
}

}  // namespace
}  // namespace llmrt::capi_test
