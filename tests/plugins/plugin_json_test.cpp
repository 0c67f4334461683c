// The shipped plugins read and write JSON with the SDK's json::Document and JsonWriter: what
// that changes for a caller, through each real plugin.
#include <gtest/gtest.h>

#include <cmath>

#include "llmrt/sdk/error.h"
#include "llmrt/sdk/json.h"
#include "support/event_text.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

// A whole reply with `n` numbers beyond a double's range in a field nobody reads: the reply
// stands however many there are (the RapidJSON reader re-parsed the text once per such number
// and gave up after 16).
TEST(PluginJson, AReplyWithManyHugeNumbersIsRead) {
  std::string extra = "[";
  for (int i = 0; i < 40; ++i) extra += (i ? ",1e400" : "1e400");
  extra += "]";
  HttpResponse openai{200,
                      {},
                      R"({"choices":[{"message":{"content":"Hello"},"finish_reason":"stop"}],)"
                      R"("x":)" +
                          extra + "}"};
  for (const char* plugin : {"openai", "internlm", "qwen"}) {
    EXPECT_EQ(test::load_plugin(plugin)->parse_response(openai).content, "Hello") << plugin;
  }
  HttpResponse native{200,
                      {},
                      R"({"output":{"choices":[{"message":{"content":"Hi"},)"
                      R"("finish_reason":"stop"}]},"x":)" +
                          extra + "}"};
  EXPECT_EQ(test::load_plugin("qwen")->parse_response(native).content, "Hi");
}

// A model's reply cut inside an emoji comes escaped as a lone surrogate: that character reads
// as U+FFFD and the rest of the reply stands (RapidJSON refused the whole body).
TEST(PluginJson, ALoneSurrogateInAReplyIsTheReplacementCharacter) {
  HttpResponse reply{
      200, {}, R"({"choices":[{"message":{"content":"ok \ud83d"},"finish_reason":"stop"}]})"};
  EXPECT_EQ(test::load_plugin("openai")->parse_response(reply).content, "ok \xEF\xBF\xBD");
  const std::string stream =
      R"(data:{"output":{"choices":[{"message":{"content":"a\ud83db"},"finish_reason":"stop"}]}})"
      "\n\n";
  EXPECT_EQ(test::decode_reads(*test::load_plugin("qwen"), ChatRequest{.stream = true}, {stream}),
            (std::vector<std::string>{"content:a\xEF\xBF\xBD"
                                      "b",
                                      "finish:stop", "done"}));
}

// A chunk with a repeated member reads the same on the fast path and the general one (a
// FastChat chunk carries "error_code": 0, which sends it down the general path): the last
// value wins on both, as JavaScript's and Python's JSON readers have it.
TEST(PluginJson, RepeatedMembersReadTheSameOnEitherStreamPath) {
  const std::string chunk = R"({"choices":[{"delta":{"content":"first","content":"last"}}])";
  for (const char* plugin : {"openai", "internlm"}) {
    auto provider = test::load_plugin(plugin);
    EXPECT_EQ(
        test::decode_reads(*provider, ChatRequest{.stream = true}, {"data: " + chunk + "}\n\n"}),
        (std::vector<std::string>{"content:last"}))
        << plugin;
    EXPECT_EQ(test::decode_reads(*provider, ChatRequest{.stream = true},
                                 {"data: " + chunk + R"(,"error_code":0})" + "\n\n"}),
              (std::vector<std::string>{"content:last"}))
        << plugin;
  }
}

// A temperature that is not a number has no JSON form: a bad_request naming it, not a body
// with a hole where the value should be.
TEST(PluginJson, ANonFiniteParameterIsABadRequestNamingIt) {
  for (const char* plugin : {"openai", "qwen", "internlm"}) {
    ChatRequest request;
    request.model = "m";
    request.messages = {{"user", "hi"}};
    request.params.temperature = std::nan("");
    try {
      test::load_plugin(plugin)->build_request(request, {.api_key = "k"});
      ADD_FAILURE() << plugin << ": expected an error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::bad_request) << plugin;
      EXPECT_NE(e.info().message.find("'temperature'"), std::string::npos) << e.what();
    }
  }
}

// Bytes that are not UTF-8 in a message do not make the body invalid: each becomes U+FFFD.
TEST(PluginJson, InvalidUtf8InAMessageGivesAValidBody) {
  for (const char* plugin : {"openai", "qwen", "internlm"}) {
    ChatRequest request;
    request.model = "m";
    request.messages = {{"user", "caf\xC3"}};
    HttpRequest http = test::load_plugin(plugin)->build_request(request, {.api_key = "k"});
    std::optional<json::Document> body = json::Document::try_parse(http.body);
    ASSERT_TRUE(body) << plugin << ": " << http.body;
    json::Value messages = body->root()["messages"];
    if (!messages.exists()) messages = body->root()["input"]["messages"];
    EXPECT_EQ(messages[0]["content"].str(), "caf\xEF\xBF\xBD") << plugin;
  }
}

}  // namespace
}  // namespace llmrt
