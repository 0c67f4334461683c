// The C API (llmrt/c/llmrt.h) through the real path: the plugins from the build tree, HTTP to
// the in-process mock server, and every value read back through the C accessors: replies, tool
// calls, both kinds of stream, errors.
#include <gtest/gtest.h>

#include <future>
#include <string>
#include <thread>
#include <vector>

#include "llmrt/mock/scenario.h"

#include "c_api_fixture.h"

namespace llmrt::capi_test {
namespace {

TEST_F(CApi, ChatReturnsTheReplyWithFinishUsageAndServedBy) {
  llmrt_error* error = nullptr;
  Owned<llmrt_result> result(
      llmrt_chat(model_.get(), kHello, R"({"temperature": 0.5})", nullptr, &error));
  ASSERT_NE(result, nullptr) << error->describe;
  EXPECT_EQ(content(result.get()), reply_);
  EXPECT_STREQ(llmrt_result_finish_reason(result.get()), "stop");
  EXPECT_STREQ(llmrt_result_finish_reason_raw(result.get()), "stop");
  EXPECT_STREQ(llmrt_result_tool_calls_json(result.get()), "[]");
  EXPECT_STREQ(llmrt_result_served_by(result.get()), "gpt-test");
  llmrt_usage usage{};
  ASSERT_EQ(llmrt_result_usage(result.get(), &usage), 1);
  EXPECT_GT(usage.prompt_tokens, 0);
  EXPECT_GT(usage.completion_tokens, 0);
  EXPECT_EQ(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
  double cost = -1;
  EXPECT_EQ(llmrt_result_cost(result.get(), &cost), 0);  // no price configured
  EXPECT_EQ(cost, 0.0);
  // The parameters went out as the JSON values they are.
  EXPECT_NE(server_.last_request().body.find(R"("temperature":0.5)"), std::string::npos)
      << server_.last_request().body;
  EXPECT_EQ(std::string(llmrt_result_message_json(result.get())),
            R"({"role":"assistant","content":")" + reply_ + R"("})");
}

TEST_F(CApi, ChatPromptSendsOneUserMessage) {
  llmrt_error* error = nullptr;
  Owned<llmrt_result> result(llmrt_chat_prompt(model_.get(), "What is 2+2?", &error));
  ASSERT_NE(result, nullptr) << error->describe;
  EXPECT_EQ(content(result.get()), reply_);
  EXPECT_NE(server_.last_request().body.find(R"({"role":"user","content":"What is 2+2?"})"),
            std::string::npos)
      << server_.last_request().body;
}

TEST_F(CApi, ToolCallsComeBackAsJsonInOpenAIsShape) {
  mock::Scenario s;
  s.content = "";
  s.tool_calls = {{"call_1", "get_weather", R"({"city":"Oslo"})"},
                  {"call_2", "get_time", R"({"tz":"CET"})"}};
  s.finish_reason = "tool_calls";
  server_.push(s);
  server_.push(s);
  llmrt_error* error = nullptr;
  const char* tools = R"({"tools": [{"type": "function", "function": {"name": "get_weather",)"
                      R"( "parameters": {"type": "object"}}}], "tool_choice": "auto"})";
  Owned<llmrt_result> result(llmrt_chat(model_.get(), kHello, tools, nullptr, &error));
  ASSERT_NE(result, nullptr) << error->describe;
  const std::string body = server_.last_request().body;
  EXPECT_NE(body.find(R"("tools":[{"type":"function","function":{"name":"get_weather")"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find(R"("tool_choice":"auto")"), std::string::npos) << body;
  const std::string calls =
      R"([{"id":"call_1","type":"function","function":{"name":"get_weather",)"
      R"("arguments":"{\"city\":\"Oslo\"}"}},{"id":"call_2","type":"function",)"
      R"("function":{"name":"get_time","arguments":"{\"tz\":\"CET\"}"}}])";
  EXPECT_EQ(llmrt_result_tool_calls_json(result.get()), calls);
  EXPECT_STREQ(llmrt_result_finish_reason(result.get()), "tool_calls");
  EXPECT_EQ(std::string(llmrt_result_message_json(result.get())),
            R"({"role":"assistant","content":null,"tool_calls":)" + calls + "}");

  // Streamed: fragments by index, the first of each call with its id and name.
  SeenEvents seen;
  Owned<llmrt_result> streamed(
      llmrt_chat_stream(model_.get(), kHello, nullptr, nullptr, on_event, &seen, &error));
  ASSERT_NE(streamed, nullptr) << error->describe;
  ASSERT_FALSE(seen.tool_fragments.empty());
  EXPECT_EQ(seen.tool_fragments.front().rfind("0 call_1 get_weather ", 0), 0u)
      << seen.tool_fragments.front();
  EXPECT_EQ(llmrt_result_tool_calls_json(streamed.get()), calls);
  EXPECT_EQ(seen.finish, "tool_calls");
}

TEST_F(CApi, CallbackStreamGivesEveryEventThenTheResult) {
  SeenEvents seen;
  llmrt_error* error = nullptr;
  Owned<llmrt_result> result(
      llmrt_chat_stream(model_.get(), kHello, nullptr, nullptr, on_event, &seen, &error));
  ASSERT_NE(result, nullptr) << error->describe;
  EXPECT_EQ(error, nullptr);
  EXPECT_EQ(seen.content, reply_);
  EXPECT_EQ(seen.finish, "stop");
  EXPECT_EQ(seen.finish_raw, "stop");
  EXPECT_GE(seen.usage_events, 1);
  llmrt_usage usage{};
  ASSERT_EQ(llmrt_result_usage(result.get(), &usage), 1);
  EXPECT_EQ(seen.usage.completion_tokens, usage.completion_tokens);
  EXPECT_EQ(content(result.get()), reply_);
}

TEST_F(CApi, ReasoningComesAsItsOwnEventsAndInTheResult) {
  mock::Scenario s;
  s.reasoning = "First the greeting, then the rest.";
  server_.push(s);
  SeenEvents seen;
  llmrt_error* error = nullptr;
  Owned<llmrt_result> result(
      llmrt_chat_stream(model_.get(), kHello, nullptr, nullptr, on_event, &seen, &error));
  ASSERT_NE(result, nullptr) << error->describe;
  EXPECT_EQ(seen.reasoning, s.reasoning);
  EXPECT_EQ(seen.content, reply_);
  size_t size = 0;
  EXPECT_EQ(std::string(llmrt_result_reasoning(result.get(), &size)), s.reasoning);
  EXPECT_EQ(size, s.reasoning.size());
}

TEST_F(CApi, OneModelServesCallsFromManyThreadsAtOnce) {
  std::vector<std::future<std::string>> replies;
  for (int i = 0; i < 4; ++i) {
    replies.push_back(std::async(std::launch::async, [this] {
      llmrt_error* error = nullptr;
      Owned<llmrt_result> result(llmrt_chat_prompt(model_.get(), "hi", &error));
      Owned<llmrt_error> owned(error);
      return result != nullptr ? content(result.get()) : std::string(error->describe);
    }));
  }
  for (auto& reply : replies) EXPECT_EQ(reply.get(), reply_);
  EXPECT_EQ(server_.requests().size(), 4u);
}

TEST_F(CApi, PullStreamGivesEventsUntilTheEndThenTheResult) {
  llmrt_error* error = nullptr;
  Owned<llmrt_stream> stream(llmrt_stream_open(model_.get(), kHello, nullptr, nullptr, &error));
  ASSERT_NE(stream, nullptr) << error->describe;
  // Not before the end.
  EXPECT_EQ(llmrt_stream_result(stream.get(), &error), nullptr);
  EXPECT_EQ(failure(error)->kind, LLMRT_INVALID_ARGUMENT);

  SeenEvents seen;
  const llmrt_event* event = nullptr;
  int content_events = 0;
  while (true) {
    ASSERT_EQ(llmrt_stream_next(stream.get(), &event, &error), LLMRT_OK) << error->describe;
    if (event == nullptr) break;
    content_events += event->type == LLMRT_EVENT_CONTENT ? 1 : 0;
    record(event, seen);
  }
  EXPECT_EQ(seen.content, reply_);
  EXPECT_GT(content_events, 1);  // piece by piece, not the whole reply at once
  EXPECT_EQ(seen.finish, "stop");
  // The end stays the end.
  EXPECT_EQ(llmrt_stream_next(stream.get(), &event, &error), LLMRT_OK);
  EXPECT_EQ(event, nullptr);
  Owned<llmrt_result> result(llmrt_stream_result(stream.get(), &error));
  ASSERT_NE(result, nullptr) << error->describe;
  EXPECT_EQ(content(result.get()), reply_);
  EXPECT_STREQ(llmrt_result_finish_reason(result.get()), "stop");
}

TEST_F(CApi, HttpErrorFillsEveryFieldOfTheErrorStruct) {
  mock::Scenario s;
  s.status = 429;
  s.error_code = "rate_limit_exceeded";
  s.headers = {{"x-request-id", "req_c_api_1"}};
  server_.push(s);
  llmrt_error* error = nullptr;
  EXPECT_EQ(llmrt_chat(model_.get(), kHello, nullptr, nullptr, &error), nullptr);
  Owned<llmrt_error> e = failure(error);
  EXPECT_EQ(e->kind, LLMRT_RATE_LIMITED);
  EXPECT_EQ(e->http_status, 429);
  EXPECT_STREQ(e->code, "rate_limit_exceeded");
  EXPECT_STREQ(e->provider, "openai");
  EXPECT_STREQ(e->request_id, "req_c_api_1");
  EXPECT_STRNE(e->message, "");
  EXPECT_EQ(e->retry_after_ms, -1);  // none given
  EXPECT_EQ(std::string(e->url), server_.base_url() + "/v1/chat/completions");
  EXPECT_EQ(std::string(e->describe).rfind("rate_limited (provider openai, HTTP 429", 0), 0u)
      << e->describe;
  EXPECT_STREQ(e->partial_content, "");
  EXPECT_EQ(e->partial_content_size, 0u);
  EXPECT_STREQ(llmrt_code_name(e->kind), "rate_limited");
}

TEST_F(CApi, MidStreamFailureCarriesThePartialContent) {
  mock::Scenario s;
  s.cut_after_events = 4;  // the role chunk, then three words
  server_.push(s);
  llmrt_error* error = nullptr;
  Owned<llmrt_stream> stream(llmrt_stream_open(model_.get(), kHello, nullptr, nullptr, &error));
  ASSERT_NE(stream, nullptr) << error->describe;
  SeenEvents seen;
  const llmrt_event* event = nullptr;
  llmrt_code code = LLMRT_OK;
  while ((code = llmrt_stream_next(stream.get(), &event, &error)) == LLMRT_OK && event != nullptr) {
    record(event, seen);
  }
  ASSERT_EQ(code, LLMRT_NETWORK);
  EXPECT_EQ(event, nullptr);
  Owned<llmrt_error> e = failure(error);
  EXPECT_EQ(e->kind, LLMRT_NETWORK);
  EXPECT_EQ(e->http_status, 0);  // a network failure has none
  ASSERT_FALSE(seen.content.empty());
  EXPECT_EQ(std::string(e->partial_content, e->partial_content_size), seen.content);
  EXPECT_EQ(reply_.rfind(seen.content, 0), 0u);
  // The failure stays the stream's answer.
  EXPECT_EQ(llmrt_stream_next(stream.get(), &event, &error), LLMRT_NETWORK);
  EXPECT_EQ(failure(error)->kind, LLMRT_NETWORK);
  EXPECT_EQ(llmrt_stream_result(stream.get(), &error), nullptr);
  EXPECT_EQ(std::string(failure(error)->partial_content), seen.content);

  // The callback form reports the same.
  server_.push(s);
  SeenEvents pushed;
  EXPECT_EQ(llmrt_chat_stream(model_.get(), kHello, nullptr, nullptr, on_event, &pushed, &error),
            nullptr);
  e = failure(error);
  EXPECT_EQ(e->kind, LLMRT_NETWORK);
  EXPECT_EQ(std::string(e->partial_content), pushed.content);
  EXPECT_EQ(pushed.content, seen.content);
}

// A stream whose words come a second apart: a cancel after the first word surely lands while
// the call waits for the next.

}  // namespace
}  // namespace llmrt::capi_test
