#pragma once

// Routing the events of a named-event SSE API (Anthropic's message_start, content_block_delta,
// …, ping, error) to one handler each, by the `event:` field, with the `data` parsed as JSON
// for the handlers that ask for it:
//
//   SseDispatcher events(context.limits);
//   events.on("content_block_delta", [](const SseMessage& m, std::vector<StreamEvent>& out) {
//     out.emplace_back(ContentDelta{std::string(m.json["delta"]["text"].str())});
//   });
//   events.on("ping", SseDispatcher::ignore, SseData::raw);
//   events.otherwise([](const SseMessage& m, auto& out) { ... });  // unnamed ones: "message"
//   ... in StreamDecoder::feed: events.feed(bytes, out);  in finish: events.finish(out);

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/sdk/json.h"
#include "llmrt/sdk/provider.h"
#include "llmrt/sdk/stream_event.h"
#include "llmrt/sdk/visibility.h"

namespace llmrt {

// What a handler gets of its event's `data`: the text only, or the text parsed as JSON (a
// `data` that is not JSON is then an Error (protocol) naming the event and quoting the data).
enum class SseData { raw, json };

// One event as a handler sees it; views valid only during the call.
struct SseMessage {
  std::string_view name;  // the `event:` field; "message" when the stream named none
  std::string_view data;
  std::string_view id;  // the last event id seen so far
  json::Value json;     // the parsed data under SseData::json; absent under SseData::raw
};

// Routes each event of one stream to the handler registered for its name, else to the
// default handler, else nowhere (an event no handler takes is ignored, as the SSE spec has
// clients ignore unknown event types). One per stream, like the decoder that owns it. Each
// event's JSON is parsed into one reused Document, so decoding allocates nothing per event for
// parsing. A handler may throw Error; it propagates out of feed()/finish().
class LLMRT_VISIBLE SseDispatcher {
 public:
  using Handler = std::function<void(const SseMessage&, std::vector<StreamEvent>&)>;
  // A handler that does nothing: on("ping", SseDispatcher::ignore, SseData::raw).
  static void ignore(const SseMessage&, std::vector<StreamEvent>&) {}

  explicit SseDispatcher(const DecoderLimits& limits = {});

  // Registers `handler` for events named `name` (a later registration of the same name
  // replaces the earlier). Returns *this to chain.
  SseDispatcher& on(std::string name, Handler handler, SseData data = SseData::json);
  // The handler for every event no on() names.
  SseDispatcher& otherwise(Handler handler, SseData data = SseData::json);

  // Feeds body bytes (split anywhere); handlers append to `out`. Throws Error (protocol) on
  // an oversized line or event (DecoderLimits::max_event_bytes) or on data that is not JSON
  // where JSON was asked for.
  void feed(std::string_view bytes, std::vector<StreamEvent>& out);
  // End of body: an event not closed by a blank line is discarded (WHATWG rules).
  void finish(std::vector<StreamEvent>& out);

 private:
  struct Route {
    std::string name;
    Handler handler;
    SseData data = SseData::json;
  };
  void dispatch(const SseEvent& event, std::vector<StreamEvent>& out);

  std::vector<Route> routes_;  // a handful: a linear search beats hashing the name
  Route fallback_;
  SseDecoder sse_;
  json::Document parsed_;
};

}  // namespace llmrt
