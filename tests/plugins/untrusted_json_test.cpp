// JSON a hostile or quirky server sends — nested without bound, numbers beyond a double —
// through each real plugin: a protocol error naming the problem, never a crash, and the events
// decoded before it stay with the caller.
#include <gtest/gtest.h>

#include "llmrt/sdk/error.h"
#include "support/contains.h"
#include "support/event_text.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

using test::contains;

// `levels` arrays, closed when `closed`.
std::string nested(std::size_t levels, bool closed) {
  return std::string(levels, '[') + (closed ? std::string(levels, ']') : std::string());
}

struct Decoder {
  const char* name;
  const char* plugin;
  const char* mode;                   // qwen's "mode" option, or null
  std::string (*event)(std::string);  // one event carrying content and a member "x": <json>
};

std::string openai_event(std::string x) {
  return R"(data: {"choices":[{"index":0,"delta":{"content":"lo"}}],"x":)" + x + "}\n\n";
}
std::string native_event(std::string x) {
  return R"(data:{"output":{"choices":[{"message":{"content":"lo","role":"assistant"},)"
         R"("finish_reason":"null"}]},"x":)" +
         x + "}\n\n";
}

const Decoder kDecoders[] = {
    {"openai", "openai", nullptr, openai_event},
    {"internlm", "internlm", nullptr, openai_event},
    {"qwen_compatible", "qwen", "compatible", openai_event},
    {"qwen_native", "qwen", "native", native_event},
};

class DeepStream : public ::testing::TestWithParam<Decoder> {
 protected:
  // Feeds a first event with "Hel", then `second`, in one read as a socket may deliver them.
  std::vector<std::string> feed(const std::string& second, std::string* error) const {
    const Decoder& d = GetParam();
    ChatRequest request{.stream = true};
    if (d.mode != nullptr) request.options["mode"] = d.mode;
    auto decoder = test::load_plugin(d.plugin)->new_stream_decoder(request, {});
    std::string first =
        d.event == native_event
            ? std::string(R"(data:{"output":{"choices":[{"message":{"content":"Hel"}}]}})"
                          "\n\n")
            : std::string(R"(data: {"choices":[{"delta":{"content":"Hel"}}]})"
                          "\n\n");
    std::vector<StreamEvent> events;
    try {
      decoder->feed(first + second, events);
      decoder->finish(events);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
      *error = e.what();
    }
    return test::event_texts(events);
  }
};

TEST_P(DeepStream, NestingBeyondTheLimitIsAProtocolErrorAfterTheTextBeforeIt) {
  std::string error;
  auto events = feed(GetParam().event(nested(300000, false)), &error);
  EXPECT_TRUE(contains(error, "nested deeper than 128 levels")) << error;
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front(), "content:Hel");
}

TEST_P(DeepStream, NestingUpToTheLimitIsRead) {
  // The event's object is level 1: 127 arrays inside it make 128 levels.
  std::string error;
  auto events = feed(GetParam().event(nested(127, true)), &error);
  EXPECT_EQ(error, "");
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[1], "content:lo");
  feed(GetParam().event(nested(128, true)), &error);
  EXPECT_TRUE(contains(error, "nested deeper than 128 levels")) << error;
}

INSTANTIATE_TEST_SUITE_P(EveryDecoder, DeepStream, ::testing::ValuesIn(kDecoders),
                         [](const auto& info) { return std::string(info.param.name); });

class DeepBody : public ::testing::TestWithParam<const char*> {};

TEST_P(DeepBody, WholeReplyIsAProtocolErrorAndErrorBodyIsClassifiedByStatus) {
  auto provider = test::load_plugin(GetParam());
  for (std::string body : {nested(300000, false), R"({"choices":)" + nested(300000, false),
                           R"({"error":{"message":)" + nested(300000, false),
                           R"({"output":{"text":)" + nested(300000, false),
                           R"({"code":-20003,"msg":)" + nested(300000, false)}) {
    HttpResponse reply{200, {}, body};
    try {
      provider->parse_response(reply);
      ADD_FAILURE() << "expected an error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
    }
    ErrorInfo info = provider->classify_error(HttpResponse{503, {}, body});
    EXPECT_EQ(info.kind, ErrorKind::server);
    EXPECT_EQ(info.http_status, 503);
  }
}

INSTANTIATE_TEST_SUITE_P(EveryPlugin, DeepBody, ::testing::Values("openai", "qwen", "internlm"));

// Usage counts that do not fit in 64 bits are ignored (they read 0); the reply stands.
TEST(UsageNumbers, OutOfRangeCountsAreIgnoredInAStream) {
  std::string body =
      R"(data: {"choices":[{"delta":{"content":"Hel"}}]})"
      "\n\n"
      R"(data: {"choices":[],"usage":{"prompt_tokens":1e400,"completion_tokens":5,"total_tokens":18446744073709551616}})"
      "\n\ndata: [DONE]\n\n";
  for (const char* plugin : {"openai", "internlm"}) {
    EXPECT_EQ(test::decode_reads(*test::load_plugin(plugin), ChatRequest{.stream = true}, {body}),
              (std::vector<std::string>{"content:Hel", "usage:0/5/0", "done"}))
        << plugin;
  }
  std::string native =
      R"(data:{"output":{"choices":[{"message":{"content":"Hel"},"finish_reason":"stop"}]},)"
      R"("usage":{"input_tokens":-1e999,"output_tokens":3}})"
      "\n\n";
  EXPECT_EQ(test::decode_reads(*test::load_plugin("qwen"), ChatRequest{.stream = true}, {native}),
            (std::vector<std::string>{"content:Hel", "finish:stop", "usage:0/3/3", "done"}));
}

TEST(UsageNumbers, OutOfRangeCountsAreIgnoredInAWholeReply) {
  HttpResponse reply{
      200,
      {},
      R"({"choices":[{"message":{"content":"Hello"},"finish_reason":"stop"}],)"
      R"("usage":{"prompt_tokens":2e308,"completion_tokens":1e400,"total_tokens":7}})"};
  ChatResult result = test::load_plugin("openai")->parse_response(reply);
  EXPECT_EQ(result.content, "Hello");
  ASSERT_TRUE(result.usage);
  EXPECT_EQ(result.usage->prompt_tokens, 0);
  EXPECT_EQ(result.usage->completion_tokens, 0);
  EXPECT_EQ(result.usage->total_tokens, 7);
}

}  // namespace
}  // namespace llmrt
