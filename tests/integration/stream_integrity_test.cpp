// What arrived is handed over, whatever comes after it: events decoded before a malformed one,
// a whole reply or an error body sent where a stream was asked for, a stream that grows past
// its limit, a reply of several MiB. And the URL and phase names in what llmrt reports are the true
// ones.
#include <stdexcept>

#include "support/e2e_fixture.h"
#include "support/raw_http_server.h"

namespace llmrt {
namespace {

class StreamIntegrity : public test::EndToEnd {
 protected:
  // Drains a stream, returning the text received, or throws its Error.
  static std::string drain(core::ChatStream stream) {
    std::string text;
    for (const auto& chunk : stream) text += chunk.delta;
    return text;
  }
  static Error stream_failure(const core::ChatModel& m, const std::vector<Message>& messages) {
    try {
      drain(m.stream_chat(messages));
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "the stream succeeded";
    return Error(ErrorKind::server, "none");
  }
};

TEST_F(StreamIntegrity, EventsBeforeAMalformedEventInTheSameReadAreKept) {
  mock::Scenario s;
  s.content = "Hel lo world";    // pieces "Hel", " lo", " world"
  s.malformed_after_events = 3;  // the role chunk, "Hel", " lo", then garbage
  s.events_per_flush = 16;       // all of it in one write, one read
  server_.push(s);
  Error e = stream_failure(model(), hello_);
  EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
  EXPECT_EQ(e.info().http_status, 200) << e.what();  // the response it came in
  std::vector<std::string> pieces = s.content_pieces();
  EXPECT_EQ(e.partial_content(), pieces[0] + pieces[1]) << e.what();
}

// A stream line past the decoder's limit (4 MiB) is the server's protocol error, with the
// status of the response it came in (it said 0) and the text before it.
TEST_F(StreamIntegrity, AStreamLineOverItsLimitIsAProtocolErrorWithTheResponsesStatus) {
  mock::Scenario s;
  s.content = "first " + std::string(std::size_t{5} << 20, 'x');
  s.chunks = 2;  // "first ", then one line of 5 MiB
  server_.push(s);
  Error e = stream_failure(model(), hello_);
  EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
  EXPECT_EQ(e.info().http_status, 200) << e.what();
  EXPECT_NE(std::string(e.what()).find("longer than the limit"), std::string::npos) << e.what();
}

TEST_F(StreamIntegrity, JsonErrorBodyAnsweringAStreamIsTheProvidersError) {
  mock::Scenario s;
  s.ignore_stream = true;
  s.stream_error =
      R"({"message":"Rate limit reached for gpt-test","type":"requests","code":"rate_limit_exceeded"})";
  server_.push(s);
  Error e = stream_failure(model(), hello_);
  EXPECT_EQ(e.kind(), ErrorKind::rate_limited) << e.what();
  EXPECT_NE(std::string(e.what()).find("Rate limit reached for gpt-test"), std::string::npos)
      << e.what();
}

TEST_F(StreamIntegrity, WholeReplyAnsweringAStreamIsStreamedWhole) {
  for (const char* provider : {"openai", "qwen"}) {
    mock::Scenario s;
    s.ignore_stream = true;
    server_.push(s);
    core::ModelConfig c = config();
    c.provider = provider;
    if (std::string(provider) == "qwen") c.api_base = server_.base_url() + "/api/v1";
    core::ChatStream stream = runtime_.model(c).stream_chat(hello_);
    EXPECT_EQ(drain(std::move(stream)), s.full_content()) << provider;
  }
}

TEST_F(StreamIntegrity, StreamOverItsLimitEndsWithThePartialText) {
  mock::Scenario s;
  s.chunks = 20000;
  server_.push(s);
  core::ModelConfig c = config();
  c.transport.max_stream_bytes = 64 << 10;
  Error e = stream_failure(runtime_.model(c), hello_);
  EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
  EXPECT_EQ(e.info().http_status, 200) << e.what();
  EXPECT_NE(std::string(e.what()).find("max_stream_bytes"), std::string::npos) << e.what();
  EXPECT_FALSE(e.partial_content().empty());
  EXPECT_EQ(s.full_content().substr(0, e.partial_content().size()), e.partial_content());
}

// Past 1 MiB the reply's text gets room for the stream's whole limit at once (it is not copied
// as it grows): every byte still arrives, in order, by both ways of reading a stream.
TEST_F(StreamIntegrity, ReplyOfSeveralMebibytesArrivesWholeByEitherReading) {
  mock::Scenario s;
  s.content = std::string(999, 'x') + "\u00e9 ";
  s.chunks = 3000;  // 3 MB
  s.events_per_flush = 16;
  server_.push(s);
  server_.push(s);
  EXPECT_EQ(drain(model().stream_chat(hello_)), s.full_content());
  std::string deltas;
  ChatResult result = model().stream_chat(hello_, {}, [&](const StreamEvent& e) {
    if (const auto* d = std::get_if<ContentDelta>(&e)) deltas += d->text;
  });
  EXPECT_EQ(result.content, s.full_content());
  EXPECT_EQ(deltas, s.full_content());
}

// The first delta is handed out as soon as its line is decoded, not after every event that
// came in the same read: the whole reply arrives in one write here, and the first batch of
// events holds one delta. The rest then arrive in pieces, all of them, in order.
TEST_F(StreamIntegrity, FirstDeltaIsHandedOutBeforeTheRestOfItsReadIsDecoded) {
  mock::Scenario s;
  s.chunks = 40;
  s.events_per_flush = 64;
  server_.push(s);
  core::ChatStream stream = model().stream_chat(hello_);
  std::vector<StreamEvent> events;
  std::vector<std::size_t> deltas_per_batch;
  std::string text;
  while (stream.next_events(events)) {
    std::size_t deltas = 0;
    for (const StreamEvent& e : events) {
      if (const auto* d = std::get_if<ContentDelta>(&e)) {
        ++deltas;
        text += d->text;
      }
    }
    if (deltas > 0) deltas_per_batch.push_back(deltas);
    events.clear();
  }
  ASSERT_FALSE(deltas_per_batch.empty());
  EXPECT_EQ(deltas_per_batch.front(), 1u);
  EXPECT_EQ(text, s.full_content());
}

// A body that ends where its framing says (here its last chunk) with neither [DONE] nor a
// finish reason was sent so: the server's protocol error with its status, not a cut connection.
TEST_F(StreamIntegrity, AStreamEndedByItsFramingWithoutAFinishIsTheServersProtocolError) {
  test::RawHttpServer raw("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n",
                          {"data: {\"choices\":[{\"delta\":{\"content\":\"ab\"}}]}\n\n",
                           "data: {\"choices\":[{\"delta\":{\"content\":\"cd\"}}]}\n\n"});
  core::ModelConfig c = config();
  c.api_base = raw.base_url() + "/v1";
  Error e = stream_failure(runtime_.model(c), hello_);
  EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
  EXPECT_EQ(e.info().http_status, 200) << e.what();
  EXPECT_EQ(e.partial_content(), "abcd");
  EXPECT_NE(std::string(e.what()).find("without the provider's end marker or a finish reason"),
            std::string::npos)
      << e.what();
}

TEST_F(StreamIntegrity, QueryStringOfTheApiBaseStaysAfterThePath) {
  core::ModelConfig c = config();
  c.api_base = server_.base_url() + "/v1?api-version=2024-10-21";
  EXPECT_EQ(runtime_.model(c).chat(hello_).content, mock::Scenario{}.full_content());
  EXPECT_EQ(server_.last_request().uri, "/v1/chat/completions?api-version=2024-10-21");
}

TEST_F(StreamIntegrity, StallAfterConnectingIsNamedAsWaitingForTheHeaders) {
  mock::Scenario s;
  s.stall_before_headers = std::chrono::milliseconds(3000);
  server_.push(s);
  core::ModelConfig c = config();
  c.transport.read_timeout = std::chrono::milliseconds(300);
  try {
    runtime_.model(c).chat(hello_);
    FAIL() << "a stalled server answered";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout) << e.what();
    std::string what = e.what();
    EXPECT_NE(what.find("waiting for the response headers from http://127.0.0.1:"),
              std::string::npos)
        << what;
    EXPECT_EQ(what.find("connecting"), std::string::npos) << what;
  }
}

// A decoder that throws what is no Error (out of memory, or a plugin breaking its contract) after
// appending events: none of them reaches the caller, since none was added to the reply.
class ThrowingDecoder final : public StreamDecoder {
 public:
  void feed(std::string_view bytes, std::vector<StreamEvent>& out) override {
    for (char c : bytes) {
      if (c == 'x') out.emplace_back(ContentDelta{"x"});
      if (c != '!') continue;
      out.emplace_back(ContentDelta{"lost"});
      out.emplace_back(DoneEvent{});
      throw std::runtime_error("not an llmrt::Error");
    }
  }
  void finish(std::vector<StreamEvent>&) override {}
};

class ThrowingProvider final : public Provider {
 public:
  ProviderInfo info() const override { return {.name = "throwing"}; }
  HttpRequest build_request(const ChatRequest& request, const Credentials&) const override {
    return HttpRequest{.url = request.api_base + "/stream", .body = "{}"};
  }
  ChatResult parse_response(const HttpResponse&) const override { return {}; }
  std::unique_ptr<StreamDecoder> new_stream_decoder(const ChatRequest&,
                                                    const StreamContext&) const override {
    return std::make_unique<ThrowingDecoder>();
  }
  ErrorInfo classify_error(const HttpResponse&) const override { return {}; }
};

TEST(StreamDecoderFailure, WhatIsNoErrorHandsOutNothingOfItsRead) {
  test::RawHttpServer server("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n",
                             {"xx", "x!", "xx"});
  core::ModelConfig config;
  config.model = "m";
  config.api_base = server.base_url();
  config.keys = {"k"};
  config.retry.max_retries = 0;
  core::ChatModel model(std::make_shared<ThrowingProvider>(), config);
  core::ChatStream stream = model.stream_chat({{.role = "user", .content = "hi"}});
  std::vector<StreamEvent> out;
  EXPECT_THROW(while (stream.next_events(out)){}, std::runtime_error);
  std::string handed_out;
  for (const StreamEvent& event : out) {
    ASSERT_TRUE(std::holds_alternative<ContentDelta>(event)) << event.index();
    handed_out += std::get<ContentDelta>(event).text;
  }
  EXPECT_EQ(handed_out, stream.result().content);
}

}  // namespace
}  // namespace llmrt
