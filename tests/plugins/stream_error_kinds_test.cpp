// Errors servers put inside a stream (or a body), through the real plugins: classified by
// their type, status_code, numeric code or FastChat error_code — never delivered as text.
#include <gtest/gtest.h>

#include "llmrt/sdk/error.h"
#include "support/event_text.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

std::vector<std::string> decode_with(const char* plugin, const std::string& body,
                                     ChatRequest request = {.stream = true}) {
  return test::decode_reads(*test::load_plugin(plugin), request, {body});
}

const std::string kHel = "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n";

TEST(InStreamErrors, TypeStatusCodeAndNumericCodeDecideTheKind) {
  struct Case {
    std::string error;
    std::string expected;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"message":"bad","type":"invalid_request_error"})",
            "error:bad_request|invalid_request_error|bad"},
           {R"({"message":"no","status_code":400})", "error:bad_request||no"},
           {R"({"message":"slow down","status_code":429})", "error:rate_limited||slow down"},
           {R"({"message":"Rate limit exceeded","code":429})",
            "error:rate_limited|429|Rate limit exceeded"},
           {R"({"message":"No auth credentials found","code":401})",
            "error:auth|401|No auth credentials found"},
           {R"({"message":"context","code":400,"type":"invalid_request_error"})",
            "error:bad_request|400|context"},
           {R"({"message":"busy","type":"overloaded_error"})",
            "error:server|overloaded_error|busy"},
           {R"({"message":"key","type":"permission_error"})",
            "error:permission|permission_error|key"},
       }) {
    for (const char* plugin : {"openai", "internlm"}) {
      EXPECT_EQ(decode_with(plugin, kHel + "data: {\"error\":" + c.error + "}\n\n"),
                (std::vector<std::string>{"content:Hel", c.expected}))
          << plugin << " " << c.error;
    }
  }
}

TEST(InStreamErrors, FastChatErrorCodesAreErrorsOfTheirKind) {
  const std::pair<int, const char*> kCodes[] = {
      {40001, "bad_request"},    {40101, "auth"},         {40102, "auth"},
      {40103, "permission"},     {40301, "not_found"},    {40302, "bad_request"},
      {40303, "context_length"}, {42901, "rate_limited"}, {42902, "quota_exhausted"},
      {42903, "server"},         {50001, "server"},       {50002, "server"},
      {50003, "server"},         {50004, "server"},       {50005, "server"},
      {50006, "timeout"},
  };
  for (const auto& [code, kind] : kCodes) {
    std::string event =
        "data: {\"text\":\"**NETWORK ERROR** (boom)\",\"error_code\":" + std::to_string(code) +
        "}\n\ndata: [DONE]\n\n";
    std::string expected =
        std::string("error:") + kind + "|" + std::to_string(code) + "|**NETWORK ERROR** (boom)";
    for (const char* plugin : {"openai", "internlm"}) {
      EXPECT_EQ(decode_with(plugin, kHel + event),
                (std::vector<std::string>{"content:Hel", expected}))
          << plugin;
    }
  }
  // error_code 0 is FastChat's "no error": the text of such an event is not an error.
  EXPECT_EQ(decode_with("openai", kHel + "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}],"
                                         "\"error_code\":0}\n\ndata: [DONE]\n\n"),
            (std::vector<std::string>{"content:Hel", "content:lo", "done"}));
}

TEST(BodyErrors, FastChatAndOpenRouterNumericCodes) {
  auto openai = test::load_plugin("openai");
  // FastChat answers every failure with HTTP 400; its code says what it was.
  ErrorInfo info = openai->classify_error(
      {400, {}, R"({"object":"error","message":"Only m1 allowed now","code":40301})"});
  EXPECT_EQ(info.kind, ErrorKind::not_found);
  EXPECT_EQ(info.code, "40301");
  info =
      openai->classify_error({400, {}, R"({"object":"error","message":"too long","code":40303})"});
  EXPECT_EQ(info.kind, ErrorKind::context_length);
  // A 200 body carrying an error with a numeric code (OpenRouter).
  try {
    openai->parse_response({200, {}, R"({"error":{"message":"Rate limit exceeded","code":429}})"});
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::rate_limited) << e.what();
  }
}

TEST(QwenCompatible, NativeErrorEventIsTheClassifiedError) {
  ChatRequest request{.stream = true};
  request.options["mode"] = "compatible";
  std::string body = kHel +
                     "event:error\n:HTTP_STATUS/429\ndata:{\"code\":\"Throttling.AllocationQuota\","
                     "\"message\":\"Allocated quota exceeded\",\"request_id\":\"r-1\"}\n\n";
  EXPECT_EQ(decode_with("qwen", body, request),
            (std::vector<std::string>{
                "content:Hel",
                "error:rate_limited|Throttling.AllocationQuota|Allocated quota exceeded"}));
}

TEST(QwenCumulative, TextThatDoesNotExtendThePreviousIsAProtocolError) {
  ChatRequest request{.stream = true};
  request.params.extras["incremental_output"] = "false";
  auto event = [](const std::string& text) {
    return R"(data:{"output":{"choices":[{"message":{"content":")" + text +
           R"(","role":"assistant"},"finish_reason":"null"}]}})" + "\n\n";
  };
  auto decoder = test::load_plugin("qwen")->new_stream_decoder(request, {});
  std::vector<StreamEvent> events;
  try {
    decoder->feed(event("Hello wor") + event("Hello, world"), events);
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::protocol);
    EXPECT_NE(std::string(e.what()).find("does not extend"), std::string::npos) << e.what();
  }
  EXPECT_EQ(test::event_texts(events), std::vector<std::string>{"content:Hello wor"});
  // Repeating the text so far, or an event without text, is no change.
  EXPECT_EQ(test::decode_reads(*test::load_plugin("qwen"), request,
                               {event("Hello") + event("Hello") + event("") + event("Hello!")}),
            (std::vector<std::string>{"content:Hello", "content:!"}));
}

}  // namespace
}  // namespace llmrt
