// Streamed replies: pushed to a callback, or pulled event by event.
#include "errors.h"
#include "events.h"
#include "handles.h"
#include "inputs.h"

namespace {

// Hands out the stream's next event; false once it has ended. Throws the stream's Error.
bool pull_event(llmrt_stream& s, const llmrt_event** event) {
  for (;;) {
    while (s.next_event < s.events.size()) {
      if (const llmrt_event* e = llmrt::c_api::to_c_event(s.events[s.next_event++], s.slot)) {
        *event = e;
        return true;
      }
    }
    if (s.ended) return false;
    s.events.clear();
    s.next_event = 0;
    if (!s.stream.next_events(s.events)) s.ended = true;
  }
}

}  // namespace

extern "C" {

llmrt_result* llmrt_chat_stream(const llmrt_model* model, const char* messages_json,
                                const char* params_json, llmrt_cancel* cancel,
                                llmrt_event_fn on_event, void* user, llmrt_error** error) {
  constexpr const char* kFunction = "llmrt_chat_stream";
  if (!llmrt::c_api::present(model, kFunction, "model", error) ||
      !llmrt::c_api::present(messages_json, kFunction, "messages_json", error)) {
    return nullptr;
  }
  if (on_event == nullptr) {
    llmrt::c_api::null_argument(kFunction, "on_event", error);
    return nullptr;
  }
  llmrt_result* made = nullptr;
  llmrt::c_api::guarded(error, [&] {
    std::vector<llmrt::Message> messages = llmrt::c_api::read_messages(messages_json);
    llmrt::core::ParamOverrides params = llmrt::c_api::read_params(params_json);
    CEventSlot slot;
    auto forward = [&](const llmrt::StreamEvent& event) {
      if (const llmrt_event* e = llmrt::c_api::to_c_event(event, slot)) on_event(e, user);
    };
    made = new llmrt_result(
        model->model.stream_chat(messages, params, forward, llmrt::c_api::read_control(cancel)));
  });
  return made;
}

llmrt_stream* llmrt_stream_open(const llmrt_model* model, const char* messages_json,
                                const char* params_json, llmrt_cancel* cancel,
                                llmrt_error** error) {
  if (!llmrt::c_api::present(model, "llmrt_stream_open", "model", error) ||
      !llmrt::c_api::present(messages_json, "llmrt_stream_open", "messages_json", error)) {
    return nullptr;
  }
  llmrt_stream* made = nullptr;
  llmrt::c_api::guarded(error, [&] {
    std::vector<llmrt::Message> messages = llmrt::c_api::read_messages(messages_json);
    llmrt::core::ParamOverrides params = llmrt::c_api::read_params(params_json);
    made = new llmrt_stream(
        model->model.stream_chat(messages, params, llmrt::c_api::read_control(cancel)));
  });
  return made;
}

llmrt_code llmrt_stream_next(llmrt_stream* stream, const llmrt_event** event, llmrt_error** error) {
  if (stream == nullptr) return llmrt::c_api::null_argument("llmrt_stream_next", "stream", error);
  if (event == nullptr) return llmrt::c_api::null_argument("llmrt_stream_next", "event", error);
  *event = nullptr;
  if (error != nullptr) *error = nullptr;
  if (stream->failure) return llmrt::c_api::report(stream->failure, error);
  try {
    pull_event(*stream, event);
    return LLMRT_OK;
  } catch (...) {
    *event = nullptr;
    stream->failure = std::current_exception();
    stream->ended = true;
    return llmrt::c_api::report(stream->failure, error);
  }
}

llmrt_result* llmrt_stream_result(llmrt_stream* stream, llmrt_error** error) {
  if (!llmrt::c_api::present(stream, "llmrt_stream_result", "stream", error)) return nullptr;
  if (stream->failure) {
    llmrt::c_api::report(stream->failure, error);
    return nullptr;
  }
  if (!stream->ended || stream->next_event < stream->events.size()) {
    llmrt::c_api::invalid_argument("llmrt_stream_result",
                                   "the stream has not ended: call llmrt_stream_next until it "
                                   "gives no event",
                                   error);
    return nullptr;
  }
  llmrt_result* made = nullptr;
  llmrt::c_api::guarded(error, [&] { made = new llmrt_result(stream->stream.result()); });
  return made;
}

void llmrt_stream_cancel(llmrt_stream* stream) {
  if (stream == nullptr) return;
  try {
    stream->stream.cancel();
  } catch (...) {
    // See llmrt_cancel_cancel: the stream is marked cancelled either way.
  }
}

void llmrt_stream_free(llmrt_stream* stream) { delete stream; }

}  // extern "C"
