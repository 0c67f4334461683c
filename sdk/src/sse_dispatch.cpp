#include "llmrt/sdk/sse_dispatch.h"

#include "llmrt/sdk/error.h"
#include "llmrt/sdk/snippet.h"

namespace llmrt {

SseDispatcher::SseDispatcher(const DecoderLimits& limits) : sse_(limits.max_event_bytes) {}

SseDispatcher& SseDispatcher::on(std::string name, Handler handler, SseData data) {
  for (Route& route : routes_) {
    if (route.name == name) {
      route.handler = std::move(handler);
      route.data = data;
      return *this;
    }
  }
  routes_.push_back(Route{std::move(name), std::move(handler), data});
  return *this;
}

SseDispatcher& SseDispatcher::otherwise(Handler handler, SseData data) {
  fallback_.handler = std::move(handler);
  fallback_.data = data;
  return *this;
}

void SseDispatcher::feed(std::string_view bytes, std::vector<StreamEvent>& out) {
  sse_.feed(bytes, [&](const SseEvent& event) { dispatch(event, out); });
}

void SseDispatcher::finish(std::vector<StreamEvent>& out) {
  sse_.finish([&](const SseEvent& event) { dispatch(event, out); });
}

void SseDispatcher::dispatch(const SseEvent& event, std::vector<StreamEvent>& out) {
  const Route* route = &fallback_;
  for (const Route& r : routes_) {
    if (r.name == event.type) {
      route = &r;
      break;
    }
  }
  if (!route->handler) return;
  SseMessage message{event.type, event.data, event.id, json::Value()};
  if (route->data == SseData::json) {
    std::string why;
    if (!parsed_.reparse(event.data, &why)) {
      throw Error(ErrorKind::protocol, "malformed '" + std::string(event.type) +
                                           "' stream event (" + why + "): '" + snippet(event.data) +
                                           "'");
    }
    message.json = parsed_.root();
  }
  route->handler(message, out);
}

}  // namespace llmrt
