// Streamed chat through the loaded openai plugin and real HTTP to the mock server.
#include "support/e2e_fixture.h"

namespace llmrt {
namespace {

using StreamEndToEnd = test::EndToEnd;

TEST_F(StreamEndToEnd, ChunksThenOneEndWithAccumulatedTextAndNoCopies) {
  core::ChatStream stream = model().stream_chat(hello_);
  std::string joined;
  int streaming = 0, ends = 0;
  for (const core::StreamChunk& chunk : stream) {
    if (chunk.status == ModelStatusCode::STREAM_ING) {
      ++streaming;
      EXPECT_EQ(ends, 0) << "a chunk after END";
      joined += chunk.delta;
      EXPECT_EQ(chunk.text, joined);
      // The text is a view of the one accumulated reply, not a copy per chunk.
      EXPECT_EQ(chunk.text.data(), stream.result().content.data());
    } else {
      ++ends;
      EXPECT_EQ(chunk.status, ModelStatusCode::END);
      EXPECT_EQ(chunk.text, mock::Scenario{}.full_content());
      EXPECT_TRUE(chunk.delta.empty());
    }
  }
  EXPECT_EQ(streaming, static_cast<int>(mock::Scenario{}.content_pieces().size()));
  EXPECT_EQ(ends, 1);
  EXPECT_EQ(finish_reason_name(stream.result()), "stop");
  ASSERT_TRUE(stream.result().usage);
}

TEST_F(StreamEndToEnd, RequestAsksForAStreamWithUsage) {
  for (const auto& chunk : model().stream_chat(hello_)) (void)chunk;
  auto body = json(server_.last_request().body);
  EXPECT_TRUE(body["stream"].GetBool());
  EXPECT_TRUE(body["stream_options"]["include_usage"].GetBool());
  EXPECT_EQ(*find_header(server_.last_request().headers, "Accept"), "text/event-stream");
}

TEST_F(StreamEndToEnd, TenThousandChunks) {
  mock::Scenario s;
  s.chunks = 10000;
  s.events_per_flush = 50;
  server_.push(s);
  core::ChatStream stream = model().stream_chat(hello_);
  std::size_t chunks = 0;
  for (const auto& chunk : stream) chunks += chunk.status == ModelStatusCode::STREAM_ING;
  EXPECT_EQ(chunks, 10000u);
  EXPECT_EQ(stream.result().content, s.full_content());
}

TEST_F(StreamEndToEnd, StopWordAcrossChunkBoundariesEndsTheStream) {
  // "This " and "reply " are separate chunks: the stop word spans them.
  core::ChatStream stream =
      model().stream_chat(hello_, core::ParamOverrides().set("stop_words", "s rep"));
  std::string deltas;
  for (const auto& chunk : stream) deltas += chunk.delta;
  EXPECT_EQ(deltas, "Hello! Thi");
  EXPECT_EQ(stream.result().content, "Hello! Thi");
  EXPECT_EQ(finish_reason_name(stream.result()), "stop");
}

TEST_F(StreamEndToEnd, CompletedStreamLeavesTheConnectionReusable) {
  core::ChatModel m = model();
  for (const auto& chunk : m.stream_chat(hello_)) (void)chunk;
  m.chat(hello_);
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].peer, requests[1].peer);
}

TEST_F(StreamEndToEnd, CallbackGetsReasoningToolCallsUsageAndFinish) {
  mock::Scenario s;
  s.reasoning = "First think.";
  s.content = "Calling tools.";
  s.tool_calls = {{"call_1", "get_weather", R"({"city":"Paris"})"},
                  {"call_2", "get_time", R"({"tz":"UTC"})"}};
  server_.push(s);
  std::string reasoning;
  std::size_t fragments = 0, usages = 0;
  std::vector<std::string> finishes;
  ChatResult result = model().stream_chat(hello_, {}, [&](const StreamEvent& e) {
    if (auto* r = std::get_if<ReasoningDelta>(&e)) reasoning += r->text;
    if (std::holds_alternative<ToolCallDelta>(e)) ++fragments;
    if (std::holds_alternative<UsageEvent>(e)) ++usages;
    if (auto* f = std::get_if<FinishEvent>(&e)) finishes.push_back(f->raw);
  });
  EXPECT_EQ(reasoning, "First think.");
  EXPECT_EQ(result.reasoning, "First think.");
  EXPECT_EQ(result.content, "Calling tools.");
  EXPECT_EQ(fragments, 6u);
  ASSERT_EQ(result.tool_calls.size(), 2u);
  EXPECT_EQ(result.tool_calls[0].name, "get_weather");
  EXPECT_EQ(result.tool_calls[0].arguments, R"({"city":"Paris"})");
  EXPECT_EQ(result.tool_calls[1].id, "call_2");
  EXPECT_EQ(usages, 1u);
  EXPECT_EQ(finishes, std::vector<std::string>{"tool_calls"});
}

TEST_F(StreamEndToEnd, InStreamErrorCarriesThePartialText) {
  mock::Scenario s;
  s.chunks = 3;
  s.stream_error = R"({"message":"overloaded","type":"server_error","code":null})";
  server_.push(s);
  core::ChatStream stream = model().stream_chat(hello_);
  std::string received;
  try {
    for (const auto& chunk : stream) received += chunk.delta;
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::server);
    EXPECT_EQ(e.info().provider, "openai");
    EXPECT_EQ(e.partial_content(), "Hello! This reply ");
    EXPECT_EQ(received, e.partial_content());
  }
}

TEST_F(StreamEndToEnd, HttpErrorBeforeTheStreamIsClassified) {
  mock::Scenario s;
  s.status = 429;
  server_.push(s);
  try {
    model().stream_chat(hello_);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::rate_limited);
    EXPECT_EQ(e.info().http_status, 429);
    EXPECT_TRUE(e.partial_content().empty());
  }
}

TEST_F(StreamEndToEnd, AbandonedStreamDoesNotDisturbTheNextCall) {
  core::ChatModel m = model();
  {
    mock::Scenario slow;
    slow.chunks = 50;
    server_.push(slow);
    core::ChatStream stream = m.stream_chat(hello_);
    stream.next();
  }  // dropped after one chunk: its connection is closed, not pooled
  EXPECT_EQ(m.chat(hello_).content, mock::Scenario{}.full_content());
}

TEST_F(StreamEndToEnd, StallMidStreamIsATimeoutCarryingThePartialText) {
  mock::Scenario s;
  s.chunks = 3;
  s.chunk_delay = std::chrono::milliseconds(1500);
  server_.push(s);
  core::ModelConfig c = config();
  c.transport.read_timeout = std::chrono::milliseconds(300);
  core::ChatStream stream = runtime_.model(c).stream_chat(hello_);
  std::string received;
  try {
    for (const auto& chunk : stream) received += chunk.delta;
    FAIL() << "expected a timeout";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout) << e.what();
    EXPECT_EQ(e.partial_content(), received);
  }
}

}  // namespace
}  // namespace llmrt
