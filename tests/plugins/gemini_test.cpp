// The real gemini plugin, loaded by the registry: the URL and key header, the ids it makes for
// Gemini's id-less function calls and the names it maps tool results back to, thought
// signatures sent back where they came from, and google.rpc errors (shared/wire/beyond.md).
// The recorded streams and bodies are in tests/data/gemini (recorded_cases_test.cpp).
#include <gtest/gtest.h>

#include "llmrt/sdk/chat_result_builder.h"
#include "llmrt/sdk/json.h"
#include "support/event_text.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

const Provider& gemini() {
  static auto p = test::load_plugin("gemini");
  return *p;
}

ChatRequest hello(bool stream) {
  return {.model = "gemini-2.5-flash",
          .messages = {{.role = "user", .content = "Hi"}},
          .stream = stream};
}

Error refused(const ChatRequest& r) {
  try {
    gemini().build_request(r, {"k", ""});
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected an error";
  return Error(ErrorKind::protocol, "none");
}

TEST(GeminiInfo, KeyFromGeminiApiKeyThenGoogleApiKey) {
  ProviderInfo info = gemini().info();
  EXPECT_EQ(info.name, "gemini");
  EXPECT_EQ(info.default_api_base, "https://generativelanguage.googleapis.com/v1beta");
  EXPECT_EQ(info.key_env_var, "GEMINI_API_KEY,GOOGLE_API_KEY");
}

TEST(GeminiRequest, ModelInThePathKeyInItsHeaderSseOnStreams) {
  HttpRequest whole = gemini().build_request(hello(false), {"AIza-key", ""});
  EXPECT_EQ(
      whole.url,
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
  EXPECT_EQ(*find_header(whole.headers, "x-goog-api-key"), "AIza-key");
  EXPECT_EQ(find_header(whole.headers, "Authorization"), nullptr);
  ChatRequest streamed = hello(true);
  streamed.api_base = "http://127.0.0.1:9/v1beta?tenant=a";  // a query stays, alt=sse joins it
  EXPECT_EQ(
      gemini().build_request(streamed, {"k", ""}).url,
      "http://127.0.0.1:9/v1beta/models/gemini-2.5-flash:streamGenerateContent?tenant=a&alt=sse");
}

TEST(GeminiRequest, NothingUnsetIsSent) {
  auto doc = json::Document::parse(gemini().build_request(hello(true), {"k", ""}).body);
  std::vector<std::string> keys;
  for (const auto& m : doc.root().members()) keys.emplace_back(m.key);
  EXPECT_EQ(keys, std::vector<std::string>{"contents"});
}

TEST(GeminiRequest, WhatGeminiCannotTakeIsRefusedNamingIt) {
  ChatRequest r = hello(false);
  r.messages.push_back({.role = "tool", .content = "42", .tool_call_id = "call_9"});
  EXPECT_EQ(refused(r).kind(), ErrorKind::bad_request);
  EXPECT_NE(std::string(refused(r).what()).find("'call_9'"), std::string::npos);
  r = hello(false);
  r.messages.push_back(
      {.role = "assistant", .tool_calls = {{.id = "call_0", .name = "f", .arguments = "[1]"}}});
  EXPECT_NE(std::string(refused(r).what()).find("no JSON object"), std::string::npos);
  r = hello(false);
  r.messages.push_back({.role = "observer", .content = "x"});
  EXPECT_NE(std::string(refused(r).what()).find("'observer'"), std::string::npos);
}

// A reply's calls get ids from their place in it; the next turn sends the calls back with the
// signature on the first, and answers each by its function's name.
TEST(GeminiRoundTrip, CallIdsAndTheSignatureComeBackAsGeminiWantsThem) {
  HttpResponse reply{.status = 200, .body = test::read_data("gemini/parallel_calls.sse")};
  std::vector<StreamEvent> events;
  auto decoder = gemini().new_stream_decoder(hello(true), {});
  decoder->feed(reply.body, events);
  decoder->finish(events);
  ChatResultBuilder builder;
  for (const auto& e : events) builder.add(e);
  const ChatResult& result = builder.result();
  ASSERT_EQ(result.tool_calls.size(), 2u);
  EXPECT_EQ(result.tool_calls[0].id, "call_0");
  EXPECT_EQ(result.tool_calls[1].id, "call_1");
  EXPECT_EQ(finish_reason_name(result), "tool_calls");

  ChatRequest next = hello(false);
  next.messages.push_back(assistant_message(result));
  next.messages.push_back({.role = "tool", .content = "rain", .tool_call_id = "call_1"});
  next.messages.push_back({.role = "tool", .content = "sun", .tool_call_id = "call_0"});
  auto doc = json::Document::parse(gemini().build_request(next, {"k", ""}).body);
  json::Value model = doc.root()["contents"][1];
  EXPECT_EQ(model["role"].str(), "model");
  EXPECT_EQ(model["parts"][0]["text"].str(), "Two cities: two calls.");
  EXPECT_TRUE(model["parts"][0]["thought"].as_bool().value_or(false));
  EXPECT_EQ(model["parts"][1]["functionCall"]["args"]["city"].str(), "Paris");
  EXPECT_EQ(model["parts"][1]["thoughtSignature"].str(), "Rmlyc3RDYWxsU2lnbmF0dXJl");
  EXPECT_FALSE(model["parts"][2]["thoughtSignature"].exists());
  json::Value results = doc.root()["contents"][2]["parts"];
  EXPECT_EQ(results[0]["functionResponse"]["name"].str(), "get_weather");
  EXPECT_EQ(results[0]["functionResponse"]["response"]["output"].str(), "rain");
  EXPECT_EQ(results.size(), 2u);
}

TEST(GeminiStream, EventsInEverySplitAndUsageWithThoughts) {
  const std::string body = test::read_data("gemini/thoughts.sse");
  std::vector<std::string> whole;
  for (const auto& reads : test::splits_of(body, 0)) {
    auto lines = test::decode_reads(gemini(), hello(true), reads);
    if (whole.empty()) whole = lines;
    ASSERT_EQ(lines, whole);
  }
  // Every chunk carries the usage so far; completion tokens count the thoughts too.
  ASSERT_GE(whole.size(), 2u);
  EXPECT_EQ(whole[whole.size() - 2], "usage:9/72/81");
  EXPECT_EQ(whole.back(), "finish:stop|STOP");
}

TEST(GeminiStream, AnArrayOfResponsesIsAWholeReply) {
  // streamGenerateContent without alt=sse: no SSE event, so the core reads it whole.
  const std::string body =
      R"([{"candidates":[{"content":{"parts":[{"text":"Hel"}]}}]},)"
      R"({"candidates":[{"content":{"parts":[{"text":"lo"}]},"finishReason":"STOP"}]}])";
  EXPECT_TRUE(test::decode_reads(gemini(), hello(true), {body}).empty());
  ChatResult r = gemini().parse_response({.status = 200, .body = body});
  EXPECT_EQ(r.content, "Hello");
  EXPECT_EQ(finish_reason_name(r), "stop");
}

TEST(GeminiStream, HostileChunksAreErrorsNotCrashes) {
  // A function call without a name, data that is no JSON, usage counts out of range.
  EXPECT_THROW(
      test::decode_reads(gemini(), hello(true),
                         {R"(data: {"candidates":[{"content":{"parts":[{"functionCall":{}}]}}]})"
                          "\n\n"}),
      Error);
  EXPECT_THROW(test::decode_reads(gemini(), hello(true), {"data: {\"candidates\": [tru\n\n"}),
               Error);
  auto lines = test::decode_reads(
      gemini(), hello(true),
      {R"(data: {"usageMetadata":{"promptTokenCount":9223372036854775807,"candidatesTokenCount":9223372036854775807,"thoughtsTokenCount":1e400}})"
       "\n\n"});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("usage:", 0), 0u) << lines[0];
}

TEST(GeminiErrors, StatusWordsAndDetailsDecideTheKind) {
  auto kind = [](int status, std::string body) {
    return gemini().classify_error({.status = status, .body = std::move(body)});
  };
  ErrorInfo in_reply = kind(
      429,
      R"({"error":{"code":429,"message":"You exceeded your current quota","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.5s"}]}})");
  EXPECT_EQ(in_reply.kind, ErrorKind::rate_limited);
  EXPECT_EQ(in_reply.retry_after, std::chrono::milliseconds(1500));
  EXPECT_EQ(in_reply.code, "RESOURCE_EXHAUSTED");
  EXPECT_EQ(
      kind(
          429,
          R"({"error":{"code":429,"message":"You exceeded your current quota","status":"RESOURCE_EXHAUSTED"}})")
          .kind,
      ErrorKind::quota_exhausted);
  EXPECT_EQ(
      kind(400, R"({"error":{"code":400,"message":"x","status":"FAILED_PRECONDITION"}})").kind,
      ErrorKind::bad_request);
  EXPECT_EQ(kind(500, "").kind, ErrorKind::server);
  EXPECT_EQ(kind(503, "<html>busy</html>").message, "<html>busy</html>");
  // Hostile details: a delay that is no duration, a reason that is no string.
  ErrorInfo odd = kind(
      429,
      R"({"error":{"code":"x","status":7,"details":[{"retryDelay":"-3s","reason":5},{"retryDelay":"ss"},1]}})");
  EXPECT_EQ(odd.kind, ErrorKind::rate_limited);
  EXPECT_FALSE(odd.retry_after.has_value());
}

}  // namespace
}  // namespace llmrt
