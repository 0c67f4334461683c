// Requests rendered by the real openai plugin: lagent's parameter mapping and the wire doc.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "llmrt/sdk/error.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

ChatRequest sample() {
  ChatRequest r;
  r.model = "gpt-4o-mini";
  r.params = {.max_new_tokens = 512,
              .top_p = 0.8,
              .temperature = 0.8,
              .repetition_penalty = 0.0};  // lagent's
  r.api_base = "http://127.0.0.1:9/v1";
  r.messages = {{.role = "system", .content = "be brief"},
                {.role = "user", .content = "hi \"you\""}};
  return r;
}

rapidjson::Document body_of(const HttpRequest& http) {
  rapidjson::Document doc;
  doc.Parse(http.body.c_str());
  EXPECT_FALSE(doc.HasParseError()) << http.body;
  return doc;
}

HttpRequest build(const ChatRequest& r, Credentials c = {"sk-test", ""}) {
  return test::load_plugin("openai")->build_request(r, c);
}

TEST(OpenAiRequest, LagentMappingWithDefaults) {
  ChatRequest r = sample();
  r.params.max_new_tokens = 10000;  // capped at 4096
  r.params.stop_words = {"\n\n", "END"};
  r.params.repetition_penalty = 0.5;
  r.params.top_k = 40;  // not an OpenAI parameter
  HttpRequest http = build(r);
  EXPECT_EQ(http.method, "POST");
  EXPECT_EQ(http.url, "http://127.0.0.1:9/v1/chat/completions");
  auto doc = body_of(http);
  EXPECT_STREQ(doc["model"].GetString(), "gpt-4o-mini");
  EXPECT_EQ(doc["n"].GetInt(), 1);
  EXPECT_EQ(doc["max_tokens"].GetInt(), 4096);
  EXPECT_DOUBLE_EQ(doc["temperature"].GetDouble(), 0.8);
  EXPECT_DOUBLE_EQ(doc["top_p"].GetDouble(), 0.8);
  EXPECT_DOUBLE_EQ(doc["frequency_penalty"].GetDouble(), 0.5);
  ASSERT_EQ(doc["stop"].Size(), 2u);
  EXPECT_STREQ(doc["stop"][1].GetString(), "END");
  EXPECT_FALSE(doc.HasMember("top_k"));
  EXPECT_FALSE(doc["stream"].GetBool());
  EXPECT_FALSE(doc.HasMember("stream_options"));
  EXPECT_FALSE(doc.HasMember("response_format"));
  EXPECT_STREQ(doc["messages"][1]["content"].GetString(), "hi \"you\"");
  EXPECT_STREQ(doc["messages"][0]["role"].GetString(), "system");
}

TEST(OpenAiRequest, HeadersCarryKeyAndOrganisation) {
  HttpRequest http = build(sample(), {"sk-abc", "org-1"});
  EXPECT_EQ(*find_header(http.headers, "authorization"), "Bearer sk-abc");
  EXPECT_EQ(*find_header(http.headers, "Content-Type"), "application/json");
  EXPECT_EQ(*find_header(http.headers, "OpenAI-Organization"), "org-1");
  EXPECT_EQ(find_header(build(sample()).headers, "OpenAI-Organization"), nullptr);
}

TEST(OpenAiRequest, StreamingAsksForUsage) {
  ChatRequest r = sample();
  r.stream = true;
  auto doc = body_of(build(r));
  EXPECT_TRUE(doc["stream"].GetBool());
  EXPECT_TRUE(doc["stream_options"]["include_usage"].GetBool());
}

TEST(OpenAiRequest, FullChatCompletionsUrlIsUsedAsItIs) {
  ChatRequest r = sample();
  r.api_base = "https://example.invalid/openai/v1/chat/completions";
  EXPECT_EQ(build(r).url, "https://example.invalid/openai/v1/chat/completions");
  r.api_base = "https://example.invalid/v1/";
  EXPECT_EQ(build(r).url, "https://example.invalid/v1/chat/completions");
  r.api_base.clear();
  EXPECT_EQ(build(r).url, "https://api.openai.com/v1/chat/completions");
}

TEST(OpenAiRequest, JsonModeAndExtras) {
  ChatRequest r = sample();
  r.params.json_mode = true;
  r.params.seed = 7;
  r.params.extras["user"] = R"("alice")";
  r.params.extras["temperature"] = "0";  // the caller's value wins over the default
  auto doc = body_of(build(r));
  EXPECT_STREQ(doc["response_format"]["type"].GetString(), "json_object");
  EXPECT_EQ(doc["seed"].GetInt(), 7);
  EXPECT_STREQ(doc["user"].GetString(), "alice");
  EXPECT_EQ(doc["temperature"].GetInt(), 0);
}

TEST(OpenAiRequest, ToolsAndToolChoiceInOpenAisShape) {
  ChatRequest r = sample();
  r.params.tools = {
      {.name = "get_weather",
       .description = "Weather now",
       .parameters_json = R"({"type":"object","properties":{"city":{"type":"string"}}})"},
      {.name = "noop"}};
  r.params.tool_choice = ToolChoice{ToolChoiceMode::function, "get_weather"};
  auto doc = body_of(build(r));
  ASSERT_EQ(doc["tools"].Size(), 2u);
  EXPECT_STREQ(doc["tools"][0]["type"].GetString(), "function");
  EXPECT_STREQ(doc["tools"][0]["function"]["name"].GetString(), "get_weather");
  EXPECT_STREQ(doc["tools"][0]["function"]["description"].GetString(), "Weather now");
  EXPECT_STREQ(doc["tools"][0]["function"]["parameters"]["properties"]["city"]["type"].GetString(),
               "string");
  EXPECT_FALSE(doc["tools"][1]["function"].HasMember("description"));
  EXPECT_FALSE(doc["tools"][1]["function"].HasMember("parameters"));
  EXPECT_STREQ(doc["tool_choice"]["function"]["name"].GetString(), "get_weather");
  r.params.tool_choice = ToolChoice{ToolChoiceMode::required, ""};
  EXPECT_STREQ(body_of(build(r))["tool_choice"].GetString(), "required");

  // Given twice (a host's extra and the typed field) is an error, not a guess.
  r.params.extras["tools"] = "[]";
  EXPECT_THROW(build(r), Error);
}

// Signed or redacted reasoning is another provider's: not sent, and said so.
TEST(OpenAiRequest, ReasoningBlocksAreNotSentAndAWarningSaysSo) {
  ChatRequest r = sample();
  r.messages.push_back({.role = "assistant", .content = "ok", .reasoning = {{.text = "hmm"}}});
  HttpRequest plain = build(r);
  EXPECT_TRUE(plain.warnings.empty());
  r.messages.back().reasoning.push_back({.text = "t", .signature = "sig"});
  HttpRequest signed_ = build(r);
  ASSERT_EQ(signed_.warnings.size(), 1u);
  EXPECT_EQ(signed_.warnings[0], "reasoning blocks are not sent to openai");
  EXPECT_EQ(signed_.body.find("sig"), std::string::npos);
}

TEST(OpenAiRequest, ReasoningModelsTakeMaxCompletionTokensAndNoSampling) {
  ChatRequest r = sample();
  r.model = "o3-mini";
  auto doc = body_of(build(r));
  EXPECT_EQ(doc["max_completion_tokens"].GetInt(), 512);
  EXPECT_FALSE(doc.HasMember("max_tokens"));
  EXPECT_FALSE(doc.HasMember("temperature"));
  EXPECT_FALSE(doc.HasMember("top_p"));
}

TEST(OpenAiRequest, MaxTokensCapOption) {
  ChatRequest r = sample();
  r.params.max_new_tokens = 9000;
  r.options["max_tokens_cap"] = "8192";
  EXPECT_EQ(body_of(build(r))["max_tokens"].GetInt(), 8192);
  r.options["max_tokens_cap"] = "lots";
  EXPECT_THROW(build(r), Error);
}

// The families by name, with a router's prefix, and the near misses that are not reasoning models.
TEST(OpenAiRequest, ReasoningModelsAreKnownByTheirFamily) {
  for (const char* model :
       {"o1", "o3", "o4", "o1-preview", "o3-mini", "o4-mini-2025-04-16", "openai/o3-mini", "a/b/o1",
        "gpt-5", "gpt-5-mini", "gpt-5.1", "openai/gpt-5"}) {
    ChatRequest r = sample();
    r.model = model;
    auto doc = body_of(build(r));
    EXPECT_TRUE(doc.HasMember("max_completion_tokens")) << model;
    EXPECT_FALSE(doc.HasMember("max_tokens")) << model;
  }
  for (const char* model : {"o", "o2", "o5-mini", "o1x", "o3mini", "O3-mini", "oo1", "gpt-4o",
                            "gpt-4.1", "gpt-", "openai/gpt-4.1", "o3/gpt-4o", "", "/"}) {
    ChatRequest r = sample();
    r.model = model;
    auto doc = body_of(build(r));
    EXPECT_TRUE(doc.HasMember("max_tokens")) << model;
    EXPECT_FALSE(doc.HasMember("max_completion_tokens")) << model;
  }
}
TEST(OpenAiRequest, CallerMaxTokensAndReservedKeysAreRejected) {
  ChatRequest r = sample();
  r.params.extras["max_tokens"] = "100";
  try {
    build(r);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    EXPECT_NE(std::string(e.what()).find("max_new_tokens"), std::string::npos);
  }
  r.params.extras.clear();
  r.params.extras["stream"] = "true";
  EXPECT_THROW(build(r), Error);
}

TEST(OpenAiRequest, ToolMessagesKeepTheirFields) {
  ChatRequest r = sample();
  r.messages.push_back({.role = "assistant",
                        .content = "",
                        .tool_calls = {ToolCall{.id = "c1", .name = "f", .arguments = "{}"}}});
  r.messages.push_back({.role = "tool", .content = "42", .tool_call_id = "c1"});
  auto doc = body_of(build(r));
  EXPECT_STREQ(doc["messages"][2]["tool_calls"][0]["id"].GetString(), "c1");
  EXPECT_STREQ(doc["messages"][3]["tool_call_id"].GetString(), "c1");
}

}  // namespace
}  // namespace llmrt
