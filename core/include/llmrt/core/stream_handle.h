#pragma once

#include <chrono>
#include <future>
#include <memory>

#include "llmrt/core/cancel_token.h"
#include "llmrt/sdk/chat_result.h"

namespace llmrt::core {

// A stream running on its own thread (ChatModel::stream_chat_async): its events go to the
// callback given there; this handle cancels it or waits for its end. Dropping the handle of a
// stream still running cancels it (then waits the moment its thread needs to see that): a
// stream nobody holds can only be stopped. Keep the handle for as long as the stream should run.
class StreamHandle {
 public:
  StreamHandle(std::future<ChatResult> done, std::shared_ptr<CancelToken> cancel)
      : done_(std::move(done)), cancel_(std::move(cancel)) {}
  ~StreamHandle() { stop(); }
  StreamHandle(StreamHandle&&) noexcept = default;
  StreamHandle& operator=(StreamHandle&& other) noexcept {
    if (this != &other) {
      stop();
      done_ = std::move(other.done_);
      cancel_ = std::move(other.cancel_);
    }
    return *this;
  }

  // From any thread: the stream ends with Error kind `cancelled`, carrying the text so far.
  void cancel() { cancel_->cancel(); }
  // The whole result, or the call's Error rethrown. Once only.
  ChatResult wait() { return done_.get(); }
  bool finished() const {
    return done_.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  }
  template <class Rep, class Period>
  std::future_status wait_for(std::chrono::duration<Rep, Period> timeout) const {
    return done_.wait_for(timeout);
  }

 private:
  void stop() noexcept {
    if (!done_.valid()) return;
    // Only a running stream: the token may be the caller's, shared with other calls.
    if (cancel_ && done_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
      cancel_->cancel();
    }
    done_.wait();
  }

  std::future<ChatResult> done_;
  std::shared_ptr<CancelToken> cancel_;
};

}  // namespace llmrt::core
