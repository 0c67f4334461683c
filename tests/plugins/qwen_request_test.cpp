// Requests, whole responses and errors of the real qwen plugin (shared/wire/dashscope.md).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "llmrt/sdk/error.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

const Provider& qwen() {
  static auto p = test::load_plugin("qwen");
  return *p;
}

ChatRequest qwen_sample(bool stream = false) {
  ChatRequest r;
  r.model = "qwen-plus";
  r.params = {.max_new_tokens = 512,
              .top_p = 0.8,
              .temperature = 0.8,
              .repetition_penalty = 0.0};  // lagent's
  r.stream = stream;
  r.messages = {{.role = "system", .content = "s"}, {.role = "user", .content = "u"}};
  return r;
}

rapidjson::Document qwen_body(const HttpRequest& http) {
  rapidjson::Document doc;
  doc.Parse(http.body.c_str());
  EXPECT_FALSE(doc.HasParseError()) << http.body;
  return doc;
}

// DashScope's function calling: tools and tool_choice in parameters, OpenAI's message shapes.
TEST(QwenRequest, NativeToolsTextPartsAndTheDeveloperRole) {
  ChatRequest r = qwen_sample();
  r.params.repetition_penalty.reset();  // lagent's 0 is not sent, with a warning of its own
  r.messages = {{.role = "developer", .content = "d"},
                {.role = "user", .parts = {TextPart{"a"}, TextPart{"b"}}},
                {.role = "assistant",
                 .tool_calls = {{.id = "c1", .name = "f", .arguments = "{}"}},
                 .reasoning = {{.text = "t", .signature = "sig"}}},
                {.role = "tool", .content = "r", .tool_call_id = "c1"}};
  r.params.tools = {{.name = "f", .parameters_json = R"({"type":"object"})"}};
  r.params.tool_choice = ToolChoice{ToolChoiceMode::function, "f"};
  HttpRequest http = qwen().build_request(r, {"sk-dash", ""});
  auto doc = qwen_body(http);
  const auto& m = doc["input"]["messages"];
  EXPECT_STREQ(m[0]["role"].GetString(), "system");
  EXPECT_STREQ(m[1]["content"].GetString(), "a\nb");
  EXPECT_STREQ(m[2]["content"].GetString(), "");
  EXPECT_STREQ(m[2]["tool_calls"][0]["function"]["name"].GetString(), "f");
  EXPECT_STREQ(m[3]["tool_call_id"].GetString(), "c1");
  EXPECT_STREQ(doc["parameters"]["tools"][0]["function"]["name"].GetString(), "f");
  EXPECT_STREQ(doc["parameters"]["tool_choice"]["function"]["name"].GetString(), "f");
  EXPECT_FALSE(doc.HasMember("tools"));
  ASSERT_EQ(http.warnings.size(), 1u);
  EXPECT_EQ(http.warnings[0], "reasoning blocks are not sent to qwen");

  r.params.tool_choice = ToolChoice{ToolChoiceMode::required, ""};
  EXPECT_THROW(qwen().build_request(r, {"sk-dash", ""}), Error);
  r.params.tool_choice.reset();
  r.messages[1].parts.push_back(ImagePart{.url = "https://x.test/a.png"});
  try {
    qwen().build_request(r, {"sk-dash", ""});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    EXPECT_NE(std::string(e.what()).find("message 1 has an image part"), std::string::npos)
        << e.what();
  }
  // The compatible mode takes OpenAI's parts as they are; developer is still system there.
  r.options["mode"] = "compatible";
  doc = qwen_body(qwen().build_request(r, {"sk-dash", ""}));
  EXPECT_STREQ(doc["messages"][0]["role"].GetString(), "system");
  EXPECT_STREQ(doc["messages"][1]["content"][2]["image_url"]["url"].GetString(),
               "https://x.test/a.png");
}

TEST(QwenRequest, NativeBodyUsesDashScopeNames) {
  ChatRequest r = qwen_sample();
  r.params.top_k = 20;
  r.params.stop_words = {"###"};
  r.params.seed = 1234;
  r.params.extras["enable_thinking"] = "false";
  HttpRequest http = qwen().build_request(r, {"sk-dash", ""});
  EXPECT_EQ(http.url,
            "https://dashscope.aliyuncs.com/api/v1/services/aigc/text-generation/generation");
  auto doc = qwen_body(http);
  EXPECT_STREQ(doc["model"].GetString(), "qwen-plus");
  EXPECT_STREQ(doc["input"]["messages"][1]["content"].GetString(), "u");
  const auto& p = doc["parameters"];
  EXPECT_STREQ(p["result_format"].GetString(), "message");
  EXPECT_EQ(p["max_tokens"].GetInt(), 512);
  EXPECT_DOUBLE_EQ(p["top_p"].GetDouble(), 0.8);
  EXPECT_EQ(p["top_k"].GetInt(), 20);
  EXPECT_STREQ(p["stop"][0].GetString(), "###");
  EXPECT_EQ(p["seed"].GetInt(), 1234);
  EXPECT_FALSE(p["enable_thinking"].GetBool());
  // llmrt's OpenAI-style default repetition_penalty of 0 is "not set" here.
  EXPECT_FALSE(p.HasMember("repetition_penalty"));
  EXPECT_FALSE(p.HasMember("incremental_output"));
  EXPECT_FALSE(doc.HasMember("stream"));
  EXPECT_EQ(*find_header(http.headers, "Authorization"), "Bearer sk-dash");
  EXPECT_EQ(find_header(http.headers, "X-DashScope-SSE"), nullptr);
}

TEST(QwenRequest, RepetitionPenaltyIsSentWhenSet) {
  ChatRequest r = qwen_sample();
  r.params.repetition_penalty = 1.05;
  EXPECT_DOUBLE_EQ(
      qwen_body(qwen().build_request(r, {}))["parameters"]["repetition_penalty"].GetDouble(), 1.05);
}

TEST(QwenRequest, StreamingAsksWithHeadersAndIncrementalOutput) {
  HttpRequest http = qwen().build_request(qwen_sample(true), {"k", ""});
  EXPECT_EQ(*find_header(http.headers, "X-DashScope-SSE"), "enable");
  EXPECT_EQ(*find_header(http.headers, "Accept"), "text/event-stream");
  EXPECT_TRUE(qwen_body(http)["parameters"]["incremental_output"].GetBool());
  ChatRequest cumulative = qwen_sample(true);
  cumulative.params.extras["incremental_output"] = "false";
  EXPECT_FALSE(qwen_body(qwen().build_request(cumulative, {}))["parameters"]["incremental_output"]
                   .GetBool());
}

TEST(QwenRequest, CompatibleModeByOptionOrApiBase) {
  ChatRequest r = qwen_sample(true);
  r.options["mode"] = "compatible";
  HttpRequest http = qwen().build_request(r, {"k", ""});
  EXPECT_EQ(http.url, "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions");
  auto doc = qwen_body(http);
  EXPECT_TRUE(doc["stream"].GetBool());
  EXPECT_EQ(doc["max_tokens"].GetInt(), 512);
  EXPECT_EQ(find_header(http.headers, "X-DashScope-SSE"), nullptr);

  ChatRequest by_base = qwen_sample();
  by_base.api_base = "http://127.0.0.1:9/compatible-mode/v1";
  EXPECT_EQ(qwen().build_request(by_base, {}).url,
            "http://127.0.0.1:9/compatible-mode/v1/chat/completions");
  r.options["mode"] = "turbo";
  EXPECT_THROW(qwen().build_request(r, {}), Error);
}

TEST(QwenResponse, ParsesNativeAndCompatibleBodies) {
  ChatResult native = qwen().parse_response(HttpResponse{200, {}, R"({"output":{"choices":[
    {"finish_reason":"stop","message":{"role":"assistant","content":"Hi","reasoning_content":"r"}}]},
    "usage":{"input_tokens":92,"output_tokens":10,"total_tokens":102},"request_id":"x"})"});
  EXPECT_EQ(native.content, "Hi");
  EXPECT_EQ(native.reasoning, "r");
  EXPECT_EQ(finish_reason_name(native), "stop");
  EXPECT_EQ(native.usage->total_tokens, 102);
  ChatResult text = qwen().parse_response(
      HttpResponse{200, {}, R"({"output":{"text":"plain","finish_reason":"stop"}})"});
  EXPECT_EQ(text.content, "plain");
  ChatResult compatible = qwen().parse_response(
      HttpResponse{200, {}, R"({"choices":[{"message":{"content":"c"},"finish_reason":"stop"}]})"});
  EXPECT_EQ(compatible.content, "c");
}

TEST(QwenResponse, ErrorBodyWithStatus200IsThrown) {
  try {
    qwen().parse_response(HttpResponse{
        200,
        {},
        R"({"code":"Arrearage","message":"Access denied, account in arrears","request_id":"r1"})"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::quota_exhausted);
    EXPECT_EQ(e.info().request_id, "r1");
  }
}

TEST(QwenErrors, EveryCodeOfTheWireDoc) {
  struct Case {
    int status;
    const char* code;
    ErrorKind kind;
  };
  for (const Case& c : std::vector<Case>{
           {400, "InvalidParameter", ErrorKind::bad_request},
           {400, "BadRequest.EmptyInput", ErrorKind::bad_request},
           {400, "DataInspectionFailed", ErrorKind::content_filter},
           {400, "Arrearage", ErrorKind::quota_exhausted},
           {401, "InvalidApiKey", ErrorKind::auth},
           {403, "AccessDenied", ErrorKind::permission},
           {403, "AccessDenied.Unpurchased", ErrorKind::permission},
           {408, "RequestTimeOut", ErrorKind::timeout},
           {413, "BadRequest.TooLarge", ErrorKind::bad_request},
           {429, "Throttling", ErrorKind::rate_limited},
           {429, "Throttling.RateQuota", ErrorKind::rate_limited},
           {429, "Throttling.AllocationQuota", ErrorKind::rate_limited},
           {500, "InternalError", ErrorKind::server},
           {500, "InternalError.Algo", ErrorKind::server},
       }) {
    std::string body =
        std::string(R"({"code":")") + c.code + R"(","message":"m","request_id":"rq"})";
    ErrorInfo info = qwen().classify_error(HttpResponse{c.status, {}, body});
    EXPECT_EQ(info.kind, c.kind) << c.code;
    EXPECT_EQ(info.code, c.code);
    EXPECT_EQ(info.http_status, c.status);
    EXPECT_EQ(info.request_id, "rq");
  }
  EXPECT_EQ(
      qwen()
          .classify_error(HttpResponse{
              400,
              {},
              R"({"code":"InvalidParameter","message":"Range of input length should be [1, 30720]"})"})
          .kind,
      ErrorKind::context_length);
  // The compatible mode's OpenAI-shaped error with a DashScope code.
  EXPECT_EQ(
      qwen()
          .classify_error(HttpResponse{
              400,
              {},
              R"({"error":{"code":"data_inspection_failed","message":"m","type":"data_inspection_failed"}})"})
          .kind,
      ErrorKind::content_filter);
  EXPECT_EQ(qwen().classify_error(HttpResponse{502, {}, "<html>bad gateway</html>"}).kind,
            ErrorKind::server);
}

}  // namespace
}  // namespace llmrt
