// The real internlm plugin: the Puyu API's restricted parameters, its tokens, its streams and
// its own error shapes (shared/wire/internlm.md).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "llmrt/sdk/error.h"
#include "support/event_text.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

const Provider& internlm() {
  static auto p = test::load_plugin("internlm");
  return *p;
}

ChatRequest internlm_sample() {
  ChatRequest r;
  r.model = "internlm3-latest";
  r.params = {.max_new_tokens = 512,
              .top_p = 0.8,
              .temperature = 0.8,
              .repetition_penalty = 0.0};  // lagent's
  r.stream = true;
  r.messages = {{.role = "user", .content = "你好"}};
  r.params.stop_words = {"<|im_end|>"};
  r.params.repetition_penalty = 1.1;
  r.params.json_mode = true;
  return r;
}

TEST(InternLmRequest, OnlyTheDocumentedParametersAreSent) {
  HttpRequest http = internlm().build_request(internlm_sample(), {"jwt-token", ""});
  EXPECT_EQ(http.url, "https://chat.intern-ai.org.cn/api/v1/chat/completions");
  rapidjson::Document doc;
  doc.Parse(http.body.c_str());
  std::vector<std::string> keys;
  for (const auto& m : doc.GetObject()) keys.emplace_back(m.name.GetString());
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"max_tokens", "messages", "model", "n", "stream",
                                            "temperature", "top_p"}));
  EXPECT_STREQ(doc["messages"][0]["content"].GetString(), "你好");
}

TEST(InternLmRequest, UnsupportedExtraIsRefusedByName) {
  ChatRequest r = internlm_sample();
  r.params.extras["session_id"] = "1";
  try {
    internlm().build_request(r, {"t", ""});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    EXPECT_NE(std::string(e.what()).find("'session_id'"), std::string::npos) << e.what();
  }
  r.params.extras.clear();
  r.params.tools = {{.name = "f"}};
  r.params.extras["thinking_mode"] = "true";
  EXPECT_NO_THROW(internlm().build_request(r, {"t", ""}));
  // Puyu documents no tool_choice.
  r.params.tool_choice = ToolChoice{ToolChoiceMode::automatic, ""};
  try {
    internlm().build_request(r, {"t", ""});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    EXPECT_NE(std::string(e.what()).find("'tool_choice'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("internlm"), std::string::npos) << e.what();
  }
}

TEST(InternLmRequest, TokenWithOrWithoutBearerIsSentOnce) {
  for (const char* token : {"eyJ.abc", "Bearer eyJ.abc", "bearer  eyJ.abc"}) {
    HttpRequest http = internlm().build_request(internlm_sample(), {token, ""});
    EXPECT_EQ(*find_header(http.headers, "Authorization"), "Bearer eyJ.abc") << token;
  }
}

TEST(InternLmErrors, PuyuShapesAndOpenAiShapes) {
  struct Case {
    int status;
    const char* body;
    ErrorKind kind;
    const char* code;
  };
  for (const Case& c : std::vector<Case>{
           {200, R"({"code": -20003, "msg": "too long"})", ErrorKind::context_length, "-20003"},
           {400, R"({"code": -20003, "message": "too long"})", ErrorKind::context_length, "-20003"},
           {401, R"({"success":false,"msgCode":"A0202","msg":"user authenticate failed"})",
            ErrorKind::auth, "A0202"},
           {401, R"({"success":false,"msgCode":"A0211","msg":"token expired"})", ErrorKind::auth,
            "A0211"},
           {429, R"({"error":{"message":"slow down","type":"rate_limit_exceeded"}})",
            ErrorKind::rate_limited, "rate_limit_exceeded"},
           {500, "Internal Server Error", ErrorKind::server, ""},
       }) {
    ErrorInfo info = internlm().classify_error(HttpResponse{c.status, {}, c.body});
    EXPECT_EQ(info.kind, c.kind) << c.body;
    EXPECT_EQ(info.code, c.code) << c.body;
  }
}

TEST(InternLmResponse, ContextErrorInA200BodyIsThrown) {
  try {
    internlm().parse_response(HttpResponse{200, {}, R"({"code":-20003,"msg":"too long"})"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::context_length);
  }
  EXPECT_EQ(
      internlm()
          .parse_response(HttpResponse{
              200, {}, R"({"choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]})"})
          .content,
      "ok");
}

}  // namespace
}  // namespace llmrt
