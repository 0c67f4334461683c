#include "calls.h"

#include "call_threads.h"

#include <pybind11/stl.h>

#include <cstdint>
#include <map>
#include <thread>
#include <utility>

namespace llmrt::python {

namespace {

// The Python callbacks of a call. They are dropped with the GIL held, on the call's thread,
// before it ends.
struct Callbacks {
  py::object on_event;
  py::object on_done;
  py::object raised;  // what on_event raised

  void release() {
    on_event = py::object();
    on_done = py::object();
    raised = py::object();
  }
};

// Keeps this (non-Python) thread's Python thread state for as long as it lives: taking the GIL
// for each of a stream's events then only takes the lock, instead of also making and freeing
// a thread state each time, which cost more than the callback itself.
class ThreadStateKeeper {
 public:
  ThreadStateKeeper() : state_(std::in_place), unlocked_(std::in_place) {}
  ~ThreadStateKeeper() {
    unlocked_.reset();
    state_.reset();
  }
  ThreadStateKeeper(const ThreadStateKeeper&) = delete;
  ThreadStateKeeper& operator=(const ThreadStateKeeper&) = delete;

 private:
  std::optional<py::gil_scoped_acquire> state_;
  std::optional<py::gil_scoped_release> unlocked_;
};

// Thrown through the core to end a stream whose on_event raised (the exception itself waits
// in Callbacks::raised).
struct CallbackRaised {};

void deliver(Callbacks& callbacks, std::optional<ChatResult> result,
             const std::exception_ptr& error) {
  py::gil_scoped_acquire gil;
  try {
    py::object value;
    if (result) {
      value = py::cast(std::move(*result));
    } else if (callbacks.raised) {
      value = callbacks.raised;
    } else {
      value = exception_to_python(error);
    }
    callbacks.on_done(value);
  } catch (py::error_already_set& e) {
    e.discard_as_unraisable(callbacks.on_done ? callbacks.on_done : py::none());
  }
  callbacks.release();
}

std::shared_ptr<Callbacks> make_callbacks(py::object on_event, py::object on_done) {
  if (on_event && !on_event.is_none() && !PyCallable_Check(on_event.ptr())) {
    throw py::type_error("on_event: expected a callable");
  }
  if (!PyCallable_Check(on_done.ptr())) throw py::type_error("on_done: expected a callable");
  auto callbacks = std::make_shared<Callbacks>();
  callbacks->on_event = std::move(on_event);
  callbacks->on_done = std::move(on_done);
  return callbacks;
}

}  // namespace

CallToken::CallToken(py::handle cancel) {
  if (cancel.is_none()) return;
  if (!py::isinstance<core::CancelToken>(cancel)) {
    throw py::type_error("cancel: expected an llmrt.CancelToken or None, got " +
                         py::str(py::type::of(cancel).attr("__name__")).cast<std::string>());
  }
  caller_ = cancel.cast<std::shared_ptr<core::CancelToken>>();
  link_ = caller_->on_cancel([own = own_] { own->cancel(); });
}

EventStream::EventStream(const ModelRef& model, std::vector<Message> messages,
                         core::ParamOverrides overrides, py::handle cancel)
    : model_(model), token_(std::make_shared<CallToken>(cancel)) {
  CallThreads::instance().start(token_, [model = model_.model, messages = std::move(messages),
                                         overrides = std::move(overrides), token = token_,
                                         channel = channel_] {
    try {
      const core::CallControl control{token->token()};
      channel->finish(model.stream_chat(
          messages, overrides, [&](const StreamEvent& event) { channel->push(event); }, control));
    } catch (...) {
      channel->fail(std::current_exception());
    }
  });
}

// A stream dropped before its end is not wanted any more.
EventStream::~EventStream() {
  if (!finished_) token_->cancel();
}

py::object EventStream::next() {
  ReadingGuard guard(reading_);
  for (;;) {
    if (closed_) {
      pending_.clear();
      finished_ = true;
      error_ = nullptr;  // the caller ended it: nothing more to say
    }
    while (!pending_.empty()) {
      py::object event = event_to_python(pending_.front(), texts_);
      pending_.pop_front();
      if (!event.is_none()) return event;
    }
    if (finished_) {
      if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
      throw py::stop_iteration();
    }
    wait_interruptibly([&](auto slice) { return channel_->take(pending_, slice); }, *token_);
    if (!pending_.empty() || closed_) continue;
    finished_ = true;
    error_ = channel_->error();
    result_ = channel_->result();
    // A reply that ended mid-character: the bytes held back come first (as U+FFFD), then the
    // call's error, if any, on the next call.
    if (!texts_.content.empty()) return delta_event(texts_.content.flush());
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    throw py::stop_iteration();
  }
}

void EventStream::close() {
  closed_ = true;
  token_->cancel();
}

py::object EventStream::result() const { return result_ ? py::cast(*result_) : py::none(); }

ChunkStream::ChunkStream(const ModelRef& model, std::vector<Message> messages,
                         core::ParamOverrides overrides, py::handle cancel)
    : model_(model), token_(std::make_shared<CallToken>(cancel)) {
  CallThreads::instance().start(
      token_, [model = model_.model, messages = std::move(messages),
               overrides = std::move(overrides), token = token_, channel = channel_] {
        try {
          const core::CallControl control{token->token()};
          core::ChatStream stream = model.stream_chat(messages, overrides, control);
          std::optional<ChunkItem> end;
          while (const core::StreamChunk* chunk = stream.next()) {
            if (chunk->status == ModelStatusCode::END) {
              end = ChunkItem{chunk->status, std::string(), std::string(chunk->text)};
            } else {
              channel->push(ChunkItem{chunk->status, std::string(chunk->delta), std::string()});
            }
          }
          channel->finish(stream.result(), std::move(end));
        } catch (...) {
          channel->fail(std::current_exception());
        }
      });
}

ChunkStream::~ChunkStream() {
  if (!finished_) token_->cancel();
}

py::object ChunkStream::to_python(ChunkItem& item) {
  const int status = static_cast<int>(item.status);
  if (item.status == ModelStatusCode::END) {
    return py::make_tuple(status, text_to_python(item.text), py::str());
  }
  py::str delta = carry_.feed(item.delta);
  if (py::len(delta) == 0) return py::none();
  text_ = py::reinterpret_steal<py::str>(PyUnicode_Concat(text_.ptr(), delta.ptr()));
  if (!text_) throw py::error_already_set();
  return py::make_tuple(status, text_, delta);
}

py::object ChunkStream::next() {
  ReadingGuard guard(reading_);
  for (;;) {
    if (closed_) {
      pending_.clear();
      finished_ = true;
    }
    while (!pending_.empty()) {
      ChunkItem item = std::move(pending_.front());
      pending_.pop_front();
      py::object chunk = to_python(item);
      if (!chunk.is_none()) return chunk;
    }
    if (finished_) throw py::stop_iteration();
    wait_interruptibly([&](auto slice) { return channel_->take(pending_, slice); }, *token_);
    if (!pending_.empty() || closed_) continue;
    finished_ = true;
    if (std::exception_ptr error = channel_->error()) std::rethrow_exception(error);
    result_ = channel_->result();
    throw py::stop_iteration();
  }
}

py::list ChunkStream::take_ready() {
  ReadingGuard guard(reading_);
  py::list out;
  if (closed_) {
    pending_.clear();
    finished_ = true;
  }
  if (finished_) return out;
  // Zero slices: take() never waits, so nothing here blocks the caller's event loop.
  channel_->take(pending_, std::chrono::milliseconds(0));
  for (ChunkItem& item : pending_) {
    py::object chunk = to_python(item);
    if (!chunk.is_none()) out.append(chunk);
  }
  pending_.clear();
  // Nothing left and the channel ended: the call is over. (Items that arrived meanwhile stay in
  // pending_ for the next call, which the wake-up they wrote announces.)
  if (channel_->take(pending_, std::chrono::milliseconds(0)) && pending_.empty()) {
    finished_ = true;
    if (std::exception_ptr error = channel_->error()) {
      out.append(exception_to_python(error));
    } else {
      result_ = channel_->result();
    }
  }
  return out;
}

void ChunkStream::close() {
  closed_ = true;
  token_->cancel();
}

py::object ChunkStream::result() const { return result_ ? py::cast(*result_) : py::none(); }

ChatResult chat(const ModelRef& model, py::handle messages, py::handle params, py::handle cancel) {
  auto token = std::make_shared<CallToken>(cancel);
  auto done = std::make_shared<std::promise<ChatResult>>();
  std::future<ChatResult> result = done->get_future();
  CallThreads::instance().start(
      token, [model = model.model, messages = messages_from_python(messages, "messages"),
              overrides = overrides_from_python(params), token, done] {
        try {
          done->set_value(model.chat(messages, overrides, core::CallControl{token->token()}));
        } catch (...) {
          done->set_exception(std::current_exception());
        }
      });
  wait_interruptibly(
      [&](auto slice) { return result.wait_for(slice) == std::future_status::ready; }, *token);
  return result.get();
}

CallHandle start_chat(const ModelRef& model, py::handle messages, py::handle params,
                      py::object on_done) {
  auto callbacks = make_callbacks(py::none(), std::move(on_done));
  auto token = std::make_shared<CallToken>(py::none());
  auto finished = std::make_shared<std::atomic<bool>>(false);
  CallThreads::instance().start(
      token, [model = model.model, messages = messages_from_python(messages, "messages"),
              overrides = overrides_from_python(params), token, callbacks, finished] {
        std::optional<ChatResult> result;
        std::exception_ptr error;
        try {
          result = model.chat(messages, overrides, core::CallControl{token->token()});
        } catch (...) {
          error = std::current_exception();
        }
        finished->store(true);
        deliver(*callbacks, std::move(result), error);
      });
  return CallHandle(token, finished);
}

CallHandle start_stream(const ModelRef& model, py::handle messages, py::handle params,
                        py::object on_event, py::object on_done) {
  if (!PyCallable_Check(on_event.ptr())) throw py::type_error("on_event: expected a callable");
  auto callbacks = make_callbacks(std::move(on_event), std::move(on_done));
  auto token = std::make_shared<CallToken>(py::none());
  auto finished = std::make_shared<std::atomic<bool>>(false);
  CallThreads::instance().start(
      token, [model = model.model, messages = messages_from_python(messages, "messages"),
              overrides = overrides_from_python(params), token, callbacks, finished] {
        ThreadStateKeeper keeper;
        // The events of one read are handed over under one taking of the GIL: a fast stream
        // then costs the other Python threads (an event loop) one wait per read, not per event.
        auto hand_over = [&](const std::vector<StreamEvent>& events, StreamTexts& texts,
                             bool last) {
          py::gil_scoped_acquire gil;
          try {
            for (const StreamEvent& event : events) {
              py::object value = event_to_python(event, texts);
              if (!value.is_none()) callbacks->on_event(value);
            }
            if (last && !texts.content.empty()) {
              callbacks->on_event(delta_event(texts.content.flush()));
            }
          } catch (py::error_already_set& raised) {
            callbacks->raised = exception_object(raised);
            throw CallbackRaised{};
          }
        };
        std::optional<ChatResult> result;
        std::exception_ptr error;
        try {
          core::ChatStream stream =
              model.stream_chat(messages, overrides, core::CallControl{token->token()});
          StreamTexts texts;
          std::vector<StreamEvent> events;
          while (stream.next_events(events)) {
            if (!events.empty()) hand_over(events, texts, false);
            events.clear();
          }
          hand_over(events, texts, true);
          result = stream.result();
        } catch (...) {
          error = std::current_exception();
        }
        finished->store(true);
        deliver(*callbacks, std::move(result), error);
      });
  return CallHandle(token, finished);
}

void stop_all_calls() {
  py::gil_scoped_release release;
  CallThreads::instance().stop_all();
}

}  // namespace llmrt::python
