#include "calls.h"

#include <pybind11/stl.h>

#include <cstdint>
#include <map>
#include <thread>
#include <utility>

namespace llmrt::python {

namespace {

using namespace std::chrono_literals;

// How often a waiting Python thread looks for a signal (Ctrl-C): the longest a
// KeyboardInterrupt waits to be seen.
constexpr auto kSignalSlice = 50ms;
// At interpreter exit, the longest wait for cancelled calls to end (a callback that never
// returns must not hang the exit for ever).
constexpr auto kExitWait = 10s;

// The threads running calls, so that interpreter exit can cancel them and wait: a thread
// that took the GIL after the interpreter is gone would crash the process.
class CallThreads {
 public:
  static CallThreads& instance() {
    static CallThreads threads;
    return threads;
  }

  // Runs `work` on a thread of its own. `work` must not throw, and must have released every
  // Python object it holds (with the GIL) before it returns.
  void start(std::shared_ptr<CallToken> token, std::function<void()> work) {
    std::uint64_t id = 0;
    {
      std::lock_guard lock(mutex_);
      if (closing_) throw std::runtime_error("llmrt: the interpreter is shutting down");
      id = next_id_++;
      running_.emplace(id, token);
    }
    try {
      std::thread([this, id, work = std::move(work)]() mutable {
        work();
        work = nullptr;
        end(id);
      }).detach();
    } catch (...) {
      end(id);
      throw;
    }
  }

  // Called with the GIL released.
  void stop_all() {
    std::unique_lock lock(mutex_);
    closing_ = true;
    for (auto& [id, token] : running_) token->cancel();
    idle_.wait_for(lock, kExitWait, [this] { return running_.empty(); });
  }

 private:
  void end(std::uint64_t id) {
    {
      std::lock_guard lock(mutex_);
      running_.erase(id);
    }
    idle_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable idle_;
  std::map<std::uint64_t, std::shared_ptr<CallToken>> running_;
  std::uint64_t next_id_ = 0;
  bool closing_ = false;
};

// Waits until `ready(slice)` says so: first without letting go of the GIL (something may be
// there already), then in slices without it. Between slices Python's signal handlers run (on
// the main thread); when one raises, as Ctrl-C's KeyboardInterrupt does, the call is cancelled
// and the exception raised.
template <class Ready>
void wait_interruptibly(Ready ready, CallToken& token) {
  if (ready(0ms)) return;
  for (;;) {
    bool done = false;
    {
      py::gil_scoped_release release;
      done = ready(kSignalSlice);
    }
    if (done) return;
    if (PyErr_CheckSignals() != 0) {
      token.cancel();
      throw py::error_already_set();
    }
  }
}

// Marks a stream as being read for one next(): another thread reading it meanwhile (while the
// first waits without the GIL) would share its buffers.
class ReadingGuard {
 public:
  explicit ReadingGuard(bool& reading) : reading_(reading) {
    if (reading_) throw std::runtime_error("this stream is being read by another thread");
    reading_ = true;
  }
  ~ReadingGuard() { reading_ = false; }
  ReadingGuard(const ReadingGuard&) = delete;
  ReadingGuard& operator=(const ReadingGuard&) = delete;

 private:
  bool& reading_;
};

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
    }
    while (!pending_.empty()) {
      py::object event = event_to_python(pending_.front(), texts_);
      pending_.pop_front();
      if (!event.is_none()) return event;
    }
    if (finished_) throw py::stop_iteration();
    wait_interruptibly([&](auto slice) { return channel_->take(pending_, slice); }, *token_);
    if (!pending_.empty() || closed_) continue;
    finished_ = true;
    if (!texts_.content.empty()) {
      // The reply ended mid-character; its error (if any) is not lost: the result says it.
      result_ = channel_->result();
      return delta_event(texts_.content.flush());
    }
    if (std::exception_ptr error = channel_->error()) std::rethrow_exception(error);
    result_ = channel_->result();
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

py::list chat_batch(const ModelRef& model, py::handle conversations, std::size_t concurrency,
                    py::handle params, py::handle cancel) {
  if (!py::isinstance<py::list>(conversations) && !py::isinstance<py::tuple>(conversations)) {
    throw py::type_error("conversations: expected a list of conversations, got " +
                         py::str(py::type::of(conversations).attr("__name__")).cast<std::string>());
  }
  if (concurrency == 0) throw py::value_error("concurrency: must be at least 1");
  const core::ParamOverrides overrides = overrides_from_python(params);
  std::vector<core::BatchItem> items;
  std::size_t index = 0;
  for (py::handle conversation : conversations) {
    const std::string where = "conversations[" + std::to_string(index++) + "]";
    if (!py::isinstance<py::dict>(conversation)) {
      items.push_back(core::BatchItem{messages_from_python(conversation, where), overrides});
      continue;
    }
    // {"messages": …, "params": {…}}: this conversation's own parameters over the batch's.
    py::dict item = py::reinterpret_borrow<py::dict>(conversation);
    for (auto [key, value] : item) {
      const std::string name = py::str(key);
      if (name != "messages" && name != "params") {
        throw py::value_error(where + ": unknown key '" + name + "' (known: messages, params)");
      }
    }
    if (!item.contains("messages")) throw py::value_error(where + ": no \"messages\"");
    py::dict merged;
    if (!params.is_none()) merged.attr("update")(params);
    if (item.contains("params") && !item["params"].is_none()) {
      if (!py::isinstance<py::dict>(item["params"])) {
        throw py::type_error(where + ".params: expected a dict");
      }
      merged.attr("update")(item["params"]);
    }
    items.push_back(core::BatchItem{messages_from_python(item["messages"], where + ".messages"),
                                    overrides_from_python(merged)});
  }
  auto token = std::make_shared<CallToken>(cancel);
  auto done = std::make_shared<std::promise<std::vector<core::BatchOutcome>>>();
  auto outcomes = done->get_future();
  CallThreads::instance().start(
      token, [model = model.model, items = std::move(items), concurrency, token, done] {
        try {
          core::BatchOptions options;
          options.concurrency = concurrency;
          options.cancel = token->token();
          done->set_value(model.chat_batch(items, options));
        } catch (...) {
          done->set_exception(std::current_exception());
        }
      });
  wait_interruptibly(
      [&](auto slice) { return outcomes.wait_for(slice) == std::future_status::ready; }, *token);
  py::list out;
  for (core::BatchOutcome& outcome : outcomes.get()) {
    out.append(outcome.ok() ? py::cast(std::move(*outcome.result))
                            : error_to_python(*outcome.error));
  }
  return out;
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
