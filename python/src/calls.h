#pragma once

// Calls made from Python: each runs on a C++ thread of its own while Python waits without the
// GIL (in short slices, so that Ctrl-C cancels the call), pulls events, or is told through
// callbacks.

#include <pybind11/pybind11.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

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
// The write end of an event loop's wake-up pipe, as one channel holds it: its own duplicate of
// the caller's fd (so the caller may close that whenever it likes), closed with the last
// holder, and the token that names the channel's stream.
struct WakeFd {
  int fd = -1;
  std::uint64_t token = 0;
  WakeFd(int fd, std::uint64_t token) : fd(fd), token(token) {}
  WakeFd(const WakeFd&) = delete;
  WakeFd& operator=(const WakeFd&) = delete;
  ~WakeFd() { ::close(fd); }
  void write() const {
    // Up to PIPE_BUF bytes are written whole or not at all. A full pipe (EAGAIN) tells the
    // reader to look at every stream; a closed one (EPIPE; Python ignores SIGPIPE) has no
    // reader left.
    [[maybe_unused]] ssize_t written = ::write(fd, &token, sizeof token);
  }
};

template <class Item>
class Channel {
 public:
  void push(Item item) {
    std::shared_ptr<const WakeFd> wake;
    {
      std::lock_guard lock(mutex_);
      items_.push_back(std::move(item));
      wake = to_wake();
    }
    arrived_.notify_one();
    if (wake) wake->write();
  }
  // The end, with the last item when there is one: a reader that takes that item sees the end
  // with it (the result is there as soon as the last item is).
  void finish(ChatResult result, std::optional<Item> last = std::nullopt) {
    std::shared_ptr<const WakeFd> wake;
    {
      std::lock_guard lock(mutex_);
      if (last) items_.push_back(std::move(*last));
      result_ = std::move(result);
      ended_ = true;
      wake = to_wake();
    }
    arrived_.notify_all();
    if (wake) wake->write();
  }
  void fail(std::exception_ptr error) {
    std::shared_ptr<const WakeFd> wake;
    {
      std::lock_guard lock(mutex_);
      error_ = std::move(error);
      ended_ = true;
      wake = to_wake();
    }
    arrived_.notify_all();
    if (wake) wake->write();
  }
  // An event loop's wake-up that needs no GIL: while `fd` (the write end of a non-blocking
  // pipe the loop watches) is set, the first item or end that arrives after the reader last
  // took writes `token` to it (8 bytes, native order: which of the loop's streams has news).
  // -1: none. The write happens outside the channel's lock, so a reader taking never waits
  // for a writer's system call.
  void set_wake_fd(int fd, std::uint64_t token) {
    std::shared_ptr<const WakeFd> wake;
    if (fd >= 0) {
      int own = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
      if (own < 0) throw std::system_error(errno, std::generic_category(), "wake fd");
      wake = std::make_shared<const WakeFd>(own, token);
    }
    std::shared_ptr<const WakeFd> now;
    {
      std::lock_guard lock(mutex_);
      wake_.swap(wake);
      told_ = false;
      // What arrived before the reader asked is news too.
      if (!items_.empty() || ended_) now = to_wake();
    }
    if (now) now->write();
  }
  // Moves what has arrived to the end of `out`, waiting up to `slice` when nothing has. True
  // when `out` got items or the call has ended.
  bool take(std::deque<Item>& out, std::chrono::milliseconds slice) {
    std::unique_lock lock(mutex_);
    told_ = false;
    if (items_.empty() && !ended_ && slice.count() > 0) {
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
  // The wake-up to write once the lock is released, if one is due (called with the lock).
  std::shared_ptr<const WakeFd> to_wake() {
    if (!wake_ || told_) return nullptr;
    told_ = true;
    return wake_;
  }

  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<Item> items_;
  bool ended_ = false;
  std::shared_ptr<const WakeFd> wake_;
  bool told_ = false;  // a byte was written since the reader last took
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
  std::exception_ptr error_;  // the call's, raised after the text held back for it
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
  // For event loops (llmrt.lagent.AsyncGPTAPI): the chunks that have arrived, without waiting
  // and without blocking: a list of (status, text, delta) tuples, the END one last; or, when
  // the call failed, its exception object last (after the chunks before it). Empty when
  // nothing new arrived, and after the end.
  py::list take_ready();
  void set_wake_fd(int fd, std::uint64_t token) { channel_->set_wake_fd(fd, token); }

 private:
  // The tuple for one item; None for a delta that completed no character yet.
  py::object to_python(ChunkItem& item);

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
