// SseDispatcher routing a recorded Anthropic Messages stream (tests/data/anthropic, written from
// Anthropic's streaming docs) to one handler per event name: the decoder a named-event plugin
// writes on it, replayed whole, byte by byte and split at every offset.
#include "llmrt/sdk/sse_dispatch.h"

#include <gtest/gtest.h>

#include "llmrt/sdk/error.h"
#include "support/event_text.h"

namespace llmrt {
namespace {

FinishEvent anthropic_finish(std::string_view raw) {
  FinishReason reason = FinishReason::other;
  if (raw == "end_turn" || raw == "stop_sequence") reason = FinishReason::stop;
  if (raw == "max_tokens") reason = FinishReason::length;
  if (raw == "tool_use") reason = FinishReason::tool_calls;
  return FinishEvent{reason, std::string(raw)};
}

// What a plugin for a named-event API writes: a handler per event, nothing else.
class AnthropicStyleDecoder final : public StreamDecoder {
 public:
  explicit AnthropicStyleDecoder(std::vector<std::string>* unknown = nullptr) {
    events_.on("message_start", [this](const SseMessage& m, std::vector<StreamEvent>&) {
      input_tokens_ = m.json["message"]["usage"]["input_tokens"].as_count().value_or(0);
    });
    events_.on("content_block_start", [](const SseMessage& m, std::vector<StreamEvent>& out) {
      const json::Value block = m.json["content_block"];
      if (block["type"].str() == "tool_use") {
        out.emplace_back(ToolCallDelta{m.json["index"].as_int64().value_or(0),
                                       std::string(block["id"].str()),
                                       std::string(block["name"].str()), ""});
      }
    });
    events_.on("content_block_delta", [](const SseMessage& m, std::vector<StreamEvent>& out) {
      const json::Value delta = m.json["delta"];
      const std::string_view type = delta["type"].str();
      if (type == "text_delta") out.emplace_back(ContentDelta{std::string(delta["text"].str())});
      if (type == "thinking_delta") {
        out.emplace_back(ReasoningDelta{.text = std::string(delta["thinking"].str())});
      }
      if (type == "signature_delta") {
        out.emplace_back(ReasoningDelta{.signature = std::string(delta["signature"].str())});
      }
      if (type == "input_json_delta" && !delta["partial_json"].str().empty()) {
        out.emplace_back(ToolCallDelta{.index = m.json["index"].as_int64().value_or(0),
                                       .arguments = std::string(delta["partial_json"].str())});
      }
    });
    events_.on("message_delta", [this](const SseMessage& m, std::vector<StreamEvent>& out) {
      out.emplace_back(anthropic_finish(m.json["delta"]["stop_reason"].str()));
      const long long output = m.json["usage"]["output_tokens"].as_count().value_or(0);
      out.emplace_back(UsageEvent{Usage{input_tokens_, output, input_tokens_ + output}});
    });
    events_.on("message_stop", [](const SseMessage&, std::vector<StreamEvent>& out) {
      out.emplace_back(DoneEvent{});
    });
    events_.on("error", [](const SseMessage& m, std::vector<StreamEvent>& out) {
      ErrorInfo info;
      info.code = m.json["error"]["type"].str();
      info.message = m.json["error"]["message"].str();
      info.kind = info.code == "overloaded_error" ? ErrorKind::server : ErrorKind::protocol;
      out.emplace_back(ErrorEvent{std::move(info)});
    });
    // Pings (and content_block_stop) carry nothing: raw, so their data is not even parsed.
    events_.on("ping", SseDispatcher::ignore, SseData::raw);
    events_.on("content_block_stop", SseDispatcher::ignore, SseData::raw);
    if (unknown != nullptr) {
      events_.otherwise(
          [unknown](const SseMessage& m, std::vector<StreamEvent>&) {
            unknown->push_back(std::string(m.name) + "|" + std::string(m.data));
          },
          SseData::raw);
    }
  }

  void feed(std::string_view bytes, std::vector<StreamEvent>& out) override {
    events_.feed(bytes, out);
  }
  void finish(std::vector<StreamEvent>& out) override { events_.finish(out); }

 private:
  SseDispatcher events_;
  long long input_tokens_ = 0;
};

std::vector<std::string> decode_dispatched(const std::vector<std::string>& reads) {
  AnthropicStyleDecoder decoder;
  std::vector<StreamEvent> out;
  for (const std::string& r : reads) decoder.feed(r, out);
  decoder.finish(out);
  return test::event_texts(out);
}

TEST(SseDispatch, RecordedAnthropicStreamGivesTheSameEventsAtEverySplit) {
  const std::string body = test::read_data("anthropic/messages_stream.sse");
  const std::vector<std::string> expected{
      "reasoning:The user wants Paris weather; ",
      "reasoning:call the tool.",
      "reasoning:",  // the signature fragment
      "content:Let me check ",
      "content:the weather in París ☀.",
      "tool:2|toolu_01Rec|get_weather|",
      "tool:2|||{\"city\": \"Pa",
      "tool:2|||ris\"}",
      "finish:tool_calls|tool_use",
      "usage:31/58/89",
      "done",
  };
  for (const auto& reads : test::splits_of(body)) {
    ASSERT_EQ(decode_dispatched(reads), expected) << reads.size() << " reads";
  }
}

TEST(SseDispatch, SignatureReachesItsHandler) {
  AnthropicStyleDecoder decoder;
  std::vector<StreamEvent> out;
  decoder.feed(test::read_data("anthropic/messages_stream.sse"), out);
  std::string signature;
  for (const StreamEvent& e : out) {
    if (auto* r = std::get_if<ReasoningDelta>(&e)) signature += r->signature;
  }
  EXPECT_EQ(signature, "c2lnLXJlY29yZGVk");
}

TEST(SseDispatch, InStreamErrorGoesToTheErrorHandler) {
  const std::string body =
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{}}\n\n"
      "event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", "
      "\"message\": \"Overloaded\"}}\n\n";
  EXPECT_EQ(decode_dispatched({body}),
            std::vector<std::string>{"error:server|overloaded_error|Overloaded"});
}

TEST(SseDispatch, UnnamedAndUnknownEventsGoToTheDefaultHandler) {
  std::vector<std::string> unknown;
  AnthropicStyleDecoder decoder(&unknown);
  std::vector<StreamEvent> out;
  decoder.feed("event: brand_new\ndata: {\"x\":1}\n\ndata: plain\n\nevent: ping\ndata: {}\n\n",
               out);
  decoder.finish(out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(unknown, (std::vector<std::string>{"brand_new|{\"x\":1}", "message|plain"}));
}

TEST(SseDispatch, EventsWithoutAnyHandlerAreIgnored) {
  SseDispatcher events;
  std::vector<StreamEvent> out;
  events.feed("event: whatever\ndata: not json at all\n\n", out);
  events.finish(out);
  EXPECT_TRUE(out.empty());
}

TEST(SseDispatch, DataThatIsNotJsonNamesTheEventAndQuotesIt) {
  try {
    decode_dispatched({"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\n\n"});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::protocol);
    const std::string what = e.what();
    EXPECT_NE(what.find("'content_block_delta' stream event"), std::string::npos) << what;
    EXPECT_NE(what.find("{\"type\":\"content_block_delta\","), std::string::npos) << what;
  }
}

TEST(SseDispatch, LaterRegistrationReplacesTheEarlierAndTheLimitHolds) {
  SseDispatcher events(DecoderLimits{.max_event_bytes = 64});
  int first = 0;
  int second = 0;
  events.on(
      "a", [&](const SseMessage&, std::vector<StreamEvent>&) { ++first; }, SseData::raw);
  events.on(
      "a", [&](const SseMessage&, std::vector<StreamEvent>&) { ++second; }, SseData::raw);
  std::vector<StreamEvent> out;
  events.feed("event: a\ndata: x\n\n", out);
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 1);
  EXPECT_THROW(events.feed("event: a\ndata: " + std::string(100, 'x') + "\n\n", out), Error);
}

}  // namespace
}  // namespace llmrt
