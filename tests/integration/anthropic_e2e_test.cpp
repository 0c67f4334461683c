// The anthropic plugin end to end: loaded from its shared library, real HTTP to the mock server
// speaking the Messages API (/v1/messages). What the plugin sent is checked against the API's
// shape, and two round trips go through it: thinking whose signature comes back on the next
// turn, and a tool call whose result gets the final answer.
#include "support/e2e_fixture.h"

namespace llmrt {
namespace {

class Anthropic : public test::EndToEnd {
 protected:
  core::ModelConfig anthropic_config() const {
    core::ModelConfig c = config();
    c.provider = "anthropic";
    c.model = "claude-sonnet-4-5";
    c.api_base = server_.base_url() + "/v1";
    c.keys = {"sk-ant-test-0001"};
    return c;
  }
  core::ChatModel anthropic() const { return runtime_.model(anthropic_config()); }
  static ChatResult drain(core::ChatStream stream) {
    for (const auto& chunk : stream) (void)chunk;
    return stream.result();
  }
  rapidjson::Document last_body() const { return json(server_.last_request().body); }
  const std::vector<Message> conversation_{{.role = "system", .content = "Be brief."},
                                           {.role = "user", .content = "Say hello"}};
};

TEST_F(Anthropic, WholeReplyAndTheRequestSent) {
  ChatResult result = anthropic().chat(conversation_);
  EXPECT_EQ(result.content, mock::Scenario{}.full_content());
  EXPECT_EQ(finish_reason_name(result), "stop");
  EXPECT_EQ(result.finish_reason_raw, "end_turn");
  mock::RecordedRequest req = server_.last_request();
  EXPECT_EQ(req.uri, "/v1/messages");
  EXPECT_EQ(*find_header(req.headers, "x-api-key"), "sk-ant-test-0001");
  EXPECT_EQ(*find_header(req.headers, "anthropic-version"), "2023-06-01");
  EXPECT_EQ(find_header(req.headers, "Authorization"), nullptr);
  auto body = last_body();
  EXPECT_STREQ(body["system"].GetString(), "Be brief.");
  EXPECT_EQ(body["messages"].Size(), 1u);
  EXPECT_EQ(body["max_tokens"].GetInt(), 4096);
  EXPECT_FALSE(body.HasMember("stream"));
  EXPECT_TRUE(result.warnings.empty());
}

TEST_F(Anthropic, StreamedReplyWithCacheTokensInTheUsage) {
  mock::Scenario s;
  s.cache_write_tokens = 100;
  s.cache_read_tokens = 2000;
  server_.push(s);
  core::ChatStream stream = anthropic().stream_chat(conversation_);
  std::string deltas;
  std::size_t chunks = 0;
  for (const auto& chunk : stream) {
    deltas += chunk.delta;
    chunks += chunk.status == ModelStatusCode::STREAM_ING;
  }
  EXPECT_EQ(deltas, s.full_content());
  EXPECT_EQ(chunks, s.content_pieces().size());
  EXPECT_EQ(finish_reason_name(stream.result()), "stop");
  ASSERT_TRUE(stream.result().usage);
  // The mock counts 4 prompt words (system and user); the prompt is those and the cache's.
  EXPECT_EQ(stream.result().usage->prompt_tokens, 4 + 100 + 2000);
  EXPECT_EQ(stream.result().usage->completion_tokens,
            static_cast<long long>(s.content_pieces().size()));
  EXPECT_TRUE(last_body()["stream"].GetBool());
}

TEST_F(Anthropic, ThinkingRoundTripSendsTheSignatureBack) {
  mock::Scenario thinking;
  thinking.reasoning = "The user wants a greeting.";
  thinking.content = "Hello there.";
  server_.push(thinking);
  core::ModelConfig c = anthropic_config();
  c.options = {{"thinking_budget", "1024"}};
  core::ChatModel m = runtime_.model(c);
  ChatResult first = drain(m.stream_chat(conversation_));
  EXPECT_EQ(first.reasoning, thinking.reasoning);
  ASSERT_EQ(first.reasoning_blocks.size(), 1u);
  const std::string signature =
      std::string("mock-signature-").append(std::to_string(thinking.reasoning.size()));
  EXPECT_EQ(first.reasoning_blocks[0].signature, signature);
  auto sent = last_body();
  EXPECT_EQ(sent["thinking"]["budget_tokens"].GetInt(), 1024);
  EXPECT_EQ(sent["max_tokens"].GetInt(), 1024 + 4096);

  std::vector<Message> next = conversation_;
  next.push_back(assistant_message(first));
  next.push_back({.role = "user", .content = "And again?"});
  EXPECT_EQ(m.chat(next).content, mock::Scenario{}.full_content());
  auto body = last_body();
  const auto& assistant = body["messages"][1];
  EXPECT_STREQ(assistant["role"].GetString(), "assistant");
  EXPECT_STREQ(assistant["content"][0]["type"].GetString(), "thinking");
  EXPECT_EQ(assistant["content"][0]["thinking"].GetString(), thinking.reasoning);
  EXPECT_EQ(assistant["content"][0]["signature"].GetString(), signature);
  EXPECT_STREQ(assistant["content"][1]["text"].GetString(), "Hello there.");
}

TEST_F(Anthropic, ToolRoundTripCallResultFinalAnswer) {
  mock::Scenario call;
  call.content = "Let me look.";
  call.tool_calls = {{"toolu_01A", "get_weather", R"({"city": "Oslo", "unit": "c"})"}};
  server_.push(call);
  core::ChatModel m = anthropic();
  core::ParamOverrides tools;
  tools.set_json("tools", R"([{"type": "function", "function": {"name": "get_weather",
      "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}])");
  ChatResult first = drain(m.stream_chat(conversation_, tools));
  EXPECT_EQ(finish_reason_name(first), "tool_calls");
  EXPECT_EQ(first.finish_reason_raw, "tool_use");
  ASSERT_EQ(first.tool_calls.size(), 1u);
  EXPECT_EQ(first.tool_calls[0].id, "toolu_01A");
  EXPECT_EQ(first.tool_calls[0].name, "get_weather");
  EXPECT_EQ(first.tool_calls[0].arguments, call.tool_calls[0].arguments);  // from 2 fragments
  EXPECT_STREQ(last_body()["tools"][0]["input_schema"]["type"].GetString(), "object");

  std::vector<Message> next = conversation_;
  next.push_back(assistant_message(first));
  next.push_back({.role = "tool", .content = "-3 C, snow", .tool_call_id = "toolu_01A"});
  mock::Scenario answer;
  answer.content = "It is snowing in Oslo.";
  server_.push(answer);
  ChatResult final_answer = drain(m.stream_chat(next, tools));
  EXPECT_EQ(final_answer.content, "It is snowing in Oslo.");
  EXPECT_EQ(finish_reason_name(final_answer), "stop");
  auto body = last_body();
  const auto& use = body["messages"][1]["content"][1];
  EXPECT_STREQ(use["type"].GetString(), "tool_use");
  EXPECT_STREQ(use["id"].GetString(), "toolu_01A");
  EXPECT_STREQ(use["input"]["city"].GetString(), "Oslo");
  const auto& result = body["messages"][2];
  EXPECT_STREQ(result["role"].GetString(), "user");
  EXPECT_STREQ(result["content"][0]["type"].GetString(), "tool_result");
  EXPECT_STREQ(result["content"][0]["tool_use_id"].GetString(), "toolu_01A");
  EXPECT_STREQ(result["content"][0]["content"].GetString(), "-3 C, snow");
}

TEST_F(Anthropic, WholeReplyWithThinkingAndToolUse) {
  mock::Scenario s;
  s.reasoning = "Need the tool.";
  s.tool_calls = {{"toolu_9", "lookup", R"({"q":"x"})"}};
  server_.push(s);
  ChatResult result = anthropic().chat(conversation_);
  EXPECT_EQ(result.reasoning, "Need the tool.");
  ASSERT_EQ(result.reasoning_blocks.size(), 1u);
  EXPECT_EQ(result.reasoning_blocks[0].signature, "mock-signature-14");
  ASSERT_EQ(result.tool_calls.size(), 1u);
  EXPECT_EQ(result.tool_calls[0].arguments, R"({"q":"x"})");
  EXPECT_EQ(finish_reason_name(result), "tool_calls");
}

TEST_F(Anthropic, EachStopReasonMapsWithItsRawWord) {
  for (auto [scenario, raw, mapped] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"stop", "end_turn", "stop"},
           {"length", "max_tokens", "length"},
           {"stop_sequence", "stop_sequence", "stop"},
           {"content_filter", "refusal", "content_filter"},
           {"pause_turn", "pause_turn", "other"}}) {
    for (bool stream : {false, true}) {
      mock::Scenario s;
      s.finish_reason = scenario;
      server_.push(s);
      ChatResult r =
          stream ? drain(anthropic().stream_chat(conversation_)) : anthropic().chat(conversation_);
      EXPECT_EQ(r.finish_reason_raw, raw) << scenario;
      EXPECT_EQ(finish_reason_name(r), mapped) << scenario;
    }
  }
}

TEST_F(Anthropic, OverloadedInTheStreamKeepsThePartialTextAndTheRequestId) {
  mock::Scenario s;
  s.chunks = 2;
  s.stream_error = R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})";
  server_.push(s);
  try {
    drain(anthropic().stream_chat(conversation_));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::server) << e.what();
    EXPECT_EQ(e.info().code, "overloaded_error");
    EXPECT_EQ(e.info().provider, "anthropic");
    EXPECT_EQ(e.info().request_id, "req_mock_anthropic");
    EXPECT_EQ(e.partial_content(), "Hello! This ");
  }
}

TEST_F(Anthropic, EachErrorStatusOverHttpMapsToItsKind) {
  struct Case {
    int status;
    const char* type;
    ErrorKind kind;
  };
  for (const Case& c : std::vector<Case>{{400, "invalid_request_error", ErrorKind::bad_request},
                                         {401, "authentication_error", ErrorKind::auth},
                                         {402, "billing_error", ErrorKind::quota_exhausted},
                                         {403, "permission_error", ErrorKind::permission},
                                         {404, "not_found_error", ErrorKind::not_found},
                                         {413, "request_too_large", ErrorKind::bad_request},
                                         {429, "rate_limit_error", ErrorKind::rate_limited},
                                         {500, "api_error", ErrorKind::server},
                                         {529, "overloaded_error", ErrorKind::server}}) {
    for (bool stream : {false, true}) {
      mock::Scenario s;
      s.status = c.status;
      server_.push(s);
      try {
        if (stream) {
          drain(anthropic().stream_chat(conversation_));
        } else {
          anthropic().chat(conversation_);
        }
        ADD_FAILURE() << c.status;
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), c.kind) << c.status << " " << e.what();
        EXPECT_EQ(e.info().code, c.type);
        EXPECT_EQ(e.info().http_status, c.status);
        EXPECT_EQ(e.info().request_id, "req_mock_anthropic");
      }
    }
  }
}

TEST_F(Anthropic, OverloadedIsRetried) {
  mock::Scenario overloaded;
  overloaded.status = 529;
  server_.push(overloaded);
  core::ModelConfig c = anthropic_config();
  c.retry.max_retries = 1;
  EXPECT_EQ(drain(runtime_.model(c).stream_chat(conversation_)).content,
            mock::Scenario{}.full_content());
  EXPECT_EQ(server_.requests().size(), 2u);
  EXPECT_EQ(waits().size(), 1u);
}

}  // namespace
}  // namespace llmrt
