// Non-streamed chat through the loaded openai plugin and real HTTP to the mock server.
#include "support/e2e_fixture.h"

namespace llmrt {
namespace {

using ChatEndToEnd = test::EndToEnd;

TEST_F(ChatEndToEnd, WholeReply) {
  ChatResult result = model().chat(hello_);
  EXPECT_EQ(result.content, mock::Scenario{}.full_content());
  EXPECT_EQ(finish_reason_name(result), "stop");
  ASSERT_TRUE(result.usage);
  EXPECT_EQ(result.usage->completion_tokens,
            static_cast<long long>(mock::Scenario{}.content_pieces().size()));
}

// A fragment belongs to the client (RFC 9112 §3.2): an api base with one reaches the server
// without it, its query kept.
TEST_F(ChatEndToEnd, AFragmentInTheApiBaseIsNeverSent) {
  core::ModelConfig c = config();
  c.api_base = server_.base_url() + "/v1?tenant=7#section";
  runtime_.model(c).chat(hello_);
  EXPECT_EQ(server_.last_request().uri, "/v1/chat/completions?tenant=7");
}

TEST_F(ChatEndToEnd, RecordedRequestFollowsTheWireDoc) {
  core::ModelConfig c = config();
  c.organizations = {"org-42"};
  c.defaults = core::ParamDefaults::lagent;  // lagent's mapping of lagent's values
  runtime_.model(c).chat(
      {{.role = "system", .content = "rules"},
       {.role = "environment", .content = "tool output"},
       {.role = "user", .content = "question"}},
      core::ParamOverrides().set("max_new_tokens", 9999).set("stop_words", "END"));
  mock::RecordedRequest req = server_.last_request();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.uri, "/v1/chat/completions");
  EXPECT_EQ(*find_header(req.headers, "Authorization"), "Bearer sk-test-key-0001");
  EXPECT_EQ(*find_header(req.headers, "Content-Type"), "application/json");
  EXPECT_EQ(*find_header(req.headers, "OpenAI-Organization"), "org-42");
  EXPECT_EQ(find_header(req.headers, "Connection") == nullptr ||
                *find_header(req.headers, "Connection") == "Keep-Alive",
            true);
  auto body = json(req.body);
  EXPECT_STREQ(body["model"].GetString(), "gpt-test");
  ASSERT_EQ(body["messages"].Size(), 2u);  // system + environment merged on "system"
  EXPECT_STREQ(body["messages"][0]["content"].GetString(), "rules\ntool output");
  EXPECT_STREQ(body["messages"][1]["role"].GetString(), "user");
  EXPECT_EQ(body["max_tokens"].GetInt(), 4096);
  EXPECT_EQ(body["n"].GetInt(), 1);
  EXPECT_DOUBLE_EQ(body["frequency_penalty"].GetDouble(), 0.0);
  EXPECT_STREQ(body["stop"][0].GetString(), "END");
  EXPECT_FALSE(body["stream"].GetBool());
}

TEST_F(ChatEndToEnd, NothingSetIsNothingSentAndThePresetIsLagentsValues) {
  model().chat(hello_);
  auto body = json(server_.last_request().body);
  for (const char* key : {"temperature", "top_p", "max_tokens", "frequency_penalty", "top_k"}) {
    EXPECT_FALSE(body.HasMember(key)) << key << " in " << server_.last_request().body;
  }

  core::ModelConfig c = config();
  c.defaults = core::ParamDefaults::lagent;
  c.params.top_p = 0.5;  // the model's own value wins over the preset
  ChatResult result = runtime_.model(c).chat(
      hello_, core::ParamOverrides().set_json("temperature", "null"));  // unset
  body = json(server_.last_request().body);
  EXPECT_EQ(body["max_tokens"].GetInt(), 512);
  EXPECT_DOUBLE_EQ(body["top_p"].GetDouble(), 0.5);
  EXPECT_FALSE(body.HasMember("temperature"));
  EXPECT_DOUBLE_EQ(body["frequency_penalty"].GetDouble(), 0.0);
  EXPECT_FALSE(body.HasMember("top_k"));
  EXPECT_EQ(result.warnings,
            std::vector<std::string>{"top_k is not a parameter of the OpenAI chat API: not sent"});
}

TEST_F(ChatEndToEnd, StopWordCutsAWholeReplyToo) {
  // The mock ignores `stop`, like some compatible servers: llmrt still cuts.
  ChatResult result = model().chat(hello_, core::ParamOverrides().set("stop_words", "mock"));
  EXPECT_EQ(result.content, "Hello! This reply comes from the llmrt ");
  EXPECT_EQ(finish_reason_name(result), "stop");
}

TEST_F(ChatEndToEnd, KeepAliveConnectionIsReused) {
  core::ChatModel m = model();
  m.chat(hello_);
  m.chat(hello_);
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].peer, requests[1].peer);
}

TEST_F(ChatEndToEnd, HttpErrorsAreClassified) {
  struct Case {
    int status;
    std::string code;
    ErrorKind kind;
  };
  for (const Case& c : std::vector<Case>{{429, "rate_limit_exceeded", ErrorKind::rate_limited},
                                         {429, "insufficient_quota", ErrorKind::quota_exhausted},
                                         {401, "invalid_api_key", ErrorKind::auth},
                                         {404, "model_not_found", ErrorKind::not_found},
                                         {500, "", ErrorKind::server}}) {
    mock::Scenario s;
    s.status = c.status;
    s.error_code = c.code;
    server_.push(s);
    try {
      model().chat(hello_);
      ADD_FAILURE() << "no error for " << c.status;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), c.kind) << c.status << " " << c.code;
      EXPECT_EQ(e.info().http_status, c.status);
      EXPECT_EQ(e.info().provider, "openai");
    }
  }
}

TEST_F(ChatEndToEnd, ErrorObjectWithStatus200IsAnError) {
  mock::Scenario s;
  s.stream_error =
      R"({"message":"context too long","type":"invalid_request_error","code":"context_length_exceeded"})";
  server_.push(s);
  try {
    model().chat(hello_);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::context_length);
    EXPECT_EQ(e.info().provider, "openai");
  }
}

TEST_F(ChatEndToEnd, ConnectionRefusedIsANetworkError) {
  core::ModelConfig c = config();
  c.api_base = "http://127.0.0.1:1/v1";
  try {
    runtime_.model(c).chat(hello_);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::network);
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:1"), std::string::npos) << e.what();
  }
}

TEST_F(ChatEndToEnd, UnknownRoleFailsBeforeSending) {
  EXPECT_THROW(model().chat({{.role = "robot", .content = "x"}}), Error);
  EXPECT_TRUE(server_.requests().empty());
}

}  // namespace
}  // namespace llmrt
