#pragma once

// Calls made from Python: each runs on a C++ thread of its own while Python waits without the
// GIL (in short slices, so that Ctrl-C cancels the call), pulls events, or is told through
// callbacks.

#include <pybind11/pybind11.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "llmrt/core/cancel_token.h"
#include "llmrt/core/chat_model.h"
#include "llmrt/core/runtime.h"
#include "values.h"

namespace llmrt::python {

// A model and the runtime it came from, kept alive together.
struct ModelRef {
  std::shared_ptr<const core::Runtime> runtime;
  core::ChatModel model;
};

// One call's own token, cancelled too when the caller's llmrt.CancelToken is (a token shared
// by many calls is never cancelled because one of them was interrupted).
class CallToken {
 public:
  // `cancel`: an llmrt.CancelToken or None; anything else raises TypeError.
  explicit CallToken(py::handle cancel);
  ~CallToken() { link_.reset(); }
  CallToken(const CallToken&) = delete;
  CallToken& operator=(const CallToken&) = delete;

  const std::shared_ptr<core::CancelToken>& token() const noexcept { return own_; }
  void cancel() { own_->cancel(); }

 private:
  std::shared_ptr<core::CancelToken> own_ = std::make_shared<core::CancelToken>();
  std::shared_ptr<core::CancelToken> caller_;
  core::CancelToken::Subscription link_;
};

// The items a call's thread hands to the Python thread that reads them, then its end.
template <class Item>
class Channel {
 public:
  void push(Item item) {
    {
      std::lock_guard lock(mutex_);
      items_.push_back(std::move(item));
    }
    arrived_.notify_one();
  }
  void finish(ChatResult result) {
    {
      std::lock_guard lock(mutex_);
      result_ = std::move(result);
      ended_ = true;
    }
    arrived_.notify_all();
  }
  void fail(std::exception_ptr error) {
    {
      std::lock_guard lock(mutex_);
      error_ = std::move(error);
      ended_ = true;
    }
    arrived_.notify_all();
  }
  // Moves what has arrived to the end of `out`, waiting up to `slice` when nothing has. True
  // when `out` got items or the call has ended.
  bool take(std::deque<Item>& out, std::chrono::milliseconds slice) {
    std::unique_lock lock(mutex_);
    if (items_.empty() && !ended_) {
      arrived_.wait_for(lock, slice, [this] { return !items_.empty() || ended_; });
    }
    if (out.empty()) {
      out.swap(items_);
    } else {
      for (Item& item : items_) out.push_back(std::move(item));
      items_.clear();
    }
    return !out.empty() || ended_;
  }
  // After take() found nothing more: the call's error, or else its result.
  std::exception_ptr error() const {
    std::lock_guard lock(mutex_);
    return error_;
  }
  std::optional<ChatResult> result() const {
    std::lock_guard lock(mutex_);
    return result_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<Item> items_;
  bool ended_ = false;
  std::exception_ptr error_;
  std::optional<ChatResult> result_;
};

// llmrt.Stream: the events of one streamed reply, pulled by iteration.
class EventStream {
 public:
  EventStream(const ModelRef& model, std::vector<Message> messages, core::ParamOverrides overrides,
              py::handle cancel);
  ~EventStream();
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  py::object next();
  // From any thread: cancels the call; iteration stops.
  void close();
  // The whole reply once the stream has ended well; None before, or after a failure.
  py::object result() const;

 private:
  ModelRef model_;
  std::shared_ptr<CallToken> token_;
  std::shared_ptr<Channel<StreamEvent>> channel_ = std::make_shared<Channel<StreamEvent>>();
  std::deque<StreamEvent> pending_;
  StreamTexts texts_;
  std::optional<ChatResult> result_;
  bool finished_ = false;
  bool reading_ = false;
  std::atomic<bool> closed_{false};
};

// What one lagent chunk carries across threads: its status, its delta, and on END the whole text.
struct ChunkItem {
  ModelStatusCode status = ModelStatusCode::STREAM_ING;
  std::string delta;
  std::string text;
};

// llmrt.ChunkStream: lagent's (status, text so far, delta) tuples of one streamed reply.
class ChunkStream {
 public:
  ChunkStream(const ModelRef& model, std::vector<Message> messages, core::ParamOverrides overrides,
              py::handle cancel);
  ~ChunkStream();
  ChunkStream(const ChunkStream&) = delete;
  ChunkStream& operator=(const ChunkStream&) = delete;

  py::object next();
  void close();
  py::object result() const;

 private:
  ModelRef model_;
  std::shared_ptr<CallToken> token_;
  std::shared_ptr<Channel<ChunkItem>> channel_ = std::make_shared<Channel<ChunkItem>>();
  std::deque<ChunkItem> pending_;
  Utf8Carry carry_;
  py::str text_;
  std::optional<ChatResult> result_;
  bool finished_ = false;
  bool reading_ = false;
  std::atomic<bool> closed_{false};
};

// llmrt.CallHandle: a call started with callbacks.
class CallHandle {
 public:
  explicit CallHandle(std::shared_ptr<CallToken> token, std::shared_ptr<std::atomic<bool>> done)
      : token_(std::move(token)), done_(std::move(done)) {}
  void cancel() { token_->cancel(); }
  bool done() const { return done_->load(); }

 private:
  std::shared_ptr<CallToken> token_;
  std::shared_ptr<std::atomic<bool>> done_;
};

// The blocking calls of llmrt.Model: each waits without the GIL and is cancelled by Ctrl-C.
ChatResult chat(const ModelRef& model, py::handle messages, py::handle params, py::handle cancel);
py::list chat_batch(const ModelRef& model, py::handle conversations, std::size_t concurrency,
                    py::handle params, py::handle cancel);

// The callback forms: `on_event(event)` and `on_done(result_or_exception)` are called on the
// call's thread with the GIL held. An exception raised by on_event cancels the call and goes
// to on_done; one raised by on_done is reported as unraisable (sys.unraisablehook).
CallHandle start_chat(const ModelRef& model, py::handle messages, py::handle params,
                      py::object on_done);
CallHandle start_stream(const ModelRef& model, py::handle messages, py::handle params,
                        py::object on_event, py::object on_done);

// Cancels every call still running and waits for their threads (at interpreter exit).
void stop_all_calls();

// CancelToken, Stream, ChunkStream, CallHandle.
void bind_calls(py::module_& m);

}  // namespace llmrt::python
