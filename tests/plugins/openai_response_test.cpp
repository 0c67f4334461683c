// Non-streamed parsing and error classification by the real openai plugin.
#include <gtest/gtest.h>

#include "llmrt/sdk/error.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

const Provider& plugin() {
  static auto p = test::load_plugin("openai");
  return *p;
}

TEST(OpenAiResponse, ParsesContentReasoningToolCallsAndUsage) {
  HttpResponse r{200, {}, R"({"id":"x","object":"chat.completion","choices":[{"index":0,
    "message":{"role":"assistant","content":"  Hi  ","reasoning_content":"hmm",
    "tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},
    "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}})"};
  ChatResult result = plugin().parse_response(r);
  EXPECT_EQ(result.content, "  Hi  ");  // as sent: llmrt does not strip
  EXPECT_EQ(result.reasoning, "hmm");
  ASSERT_EQ(result.tool_calls.size(), 1u);
  EXPECT_EQ(result.tool_calls[0].arguments, "{\"a\":1}");
  EXPECT_EQ(finish_reason_name(result), "tool_calls");
  ASSERT_TRUE(result.usage);
  EXPECT_EQ(result.usage->total_tokens, 7);
}

TEST(OpenAiResponse, NullContentIsEmpty) {
  HttpResponse r{200, {}, R"({"choices":[{"message":{"content":null},"finish_reason":"stop"}]})"};
  EXPECT_EQ(plugin().parse_response(r).content, "");
}

TEST(OpenAiResponse, ErrorObjectInA200IsThrownClassified) {
  HttpResponse r{
      200,
      {},
      R"({"error":{"message":"quota","type":"insufficient_quota","code":"insufficient_quota"}})"};
  try {
    plugin().parse_response(r);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::quota_exhausted);
    EXPECT_EQ(e.info().http_status, 200);
  }
}

TEST(OpenAiResponse, MalformedBodyIsAProtocolError) {
  for (const char* body : {"not json", "[1,2]", R"({"choices":[]})", R"({"choices":[{}]})"}) {
    try {
      plugin().parse_response(HttpResponse{200, {}, body});
      FAIL() << body;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::protocol) << body;
    }
  }
}

struct ErrorCase {
  int status;
  std::string body;
  ErrorKind kind;
  std::string code;
};

TEST(OpenAiResponse, ClassifiesEveryDocumentedError) {
  auto body = [](const std::string& code, const std::string& type) {
    return R"({"error":{"message":"m","type":")" + type + R"(","param":null,"code":")" + code +
           R"("}})";
  };
  std::vector<ErrorCase> cases{
      {400, body("context_length_exceeded", "invalid_request_error"), ErrorKind::context_length,
       "context_length_exceeded"},
      {400, body("", "invalid_request_error"), ErrorKind::bad_request, "invalid_request_error"},
      {401, body("invalid_api_key", "invalid_request_error"), ErrorKind::auth, "invalid_api_key"},
      {403, body("", "permission_error"), ErrorKind::permission, "permission_error"},
      {404, body("model_not_found", "invalid_request_error"), ErrorKind::not_found,
       "model_not_found"},
      {429, body("insufficient_quota", "insufficient_quota"), ErrorKind::quota_exhausted,
       "insufficient_quota"},
      {429, body("rate_limit_exceeded", "requests"), ErrorKind::rate_limited,
       "rate_limit_exceeded"},
      {408, "", ErrorKind::timeout, ""},
      {409, "", ErrorKind::server, ""},
      {500, body("", "server_error"), ErrorKind::server, "server_error"},
      {503, R"({"message":"overloaded"})", ErrorKind::server, ""},
      {502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
       ErrorKind::server, ""},
      {400, R"({"error":{"message":"This model's maximum context length is 8192 tokens"}})",
       ErrorKind::context_length, ""},
  };
  for (const ErrorCase& c : cases) {
    HttpResponse r{c.status, {{"x-request-id", "req_123"}}, c.body};
    ErrorInfo info = plugin().classify_error(r);
    EXPECT_EQ(info.kind, c.kind) << c.status << " " << c.body;
    EXPECT_EQ(info.code, c.code) << c.status << " " << c.body;
    EXPECT_EQ(info.http_status, c.status);
    EXPECT_EQ(info.request_id, "req_123");
    EXPECT_FALSE(info.message.empty());
  }
}

TEST(OpenAiResponse, HtmlBodyBecomesAOneLineMessage) {
  ErrorInfo info = plugin().classify_error(
      HttpResponse{502, {}, "<html>\n<body>\n  Bad   Gateway\n</body>\n</html>\n"});
  EXPECT_EQ(info.message, "<html> <body> Bad Gateway </body> </html>");
}

}  // namespace
}  // namespace llmrt
