// The C API (llmrt/c/llmrt.h) through the real path: the plugins from the build tree, HTTP to
// the in-process mock server, and every value read back through the C accessors.
#include "llmrt/c/llmrt.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "llmrt/mock/mock_server.h"
#include "llmrt/sdk/error.h"
#include "support/temp_dir.h"

namespace llmrt {
namespace {

// Owners for the C handles, so that a failed assertion frees them too.
struct CFree {
  void operator()(llmrt_runtime* p) const { llmrt_runtime_free(p); }
  void operator()(llmrt_model* p) const { llmrt_model_free(p); }
  void operator()(llmrt_result* p) const { llmrt_result_free(p); }
  void operator()(llmrt_stream* p) const { llmrt_stream_free(p); }
  void operator()(llmrt_cancel* p) const { llmrt_cancel_free(p); }
  void operator()(llmrt_error* p) const { llmrt_error_free(p); }
};
template <class T>
using Owned = std::unique_ptr<T, CFree>;

constexpr const char* kHello = R"([{"role": "user", "content": "Say hello"}])";

// The events of a stream as the C caller saw them, the strings copied.
struct SeenEvents {
  std::string content;
  std::string reasoning;
  std::string finish;
  std::string finish_raw;
  std::vector<std::string> tool_fragments;  // "index id name arguments"
  int usage_events = 0;
  llmrt_usage usage{};
};

void record(const llmrt_event* e, SeenEvents& seen) {
  switch (e->type) {
    case LLMRT_EVENT_CONTENT:
      seen.content.append(e->text, e->text_size);
      break;
    case LLMRT_EVENT_TOOL_CALL:
      seen.tool_fragments.push_back(std::to_string(e->index) + " " + e->id + " " + e->name + " " +
                                    e->arguments);
      break;
    case LLMRT_EVENT_FINISH:
      seen.finish = e->text;
      seen.finish_raw = e->raw;
      break;
    case LLMRT_EVENT_USAGE:
      ++seen.usage_events;
      seen.usage = e->usage;
      break;
    case LLMRT_EVENT_REASONING:
      seen.reasoning.append(e->text, e->text_size);
      break;
    case LLMRT_EVENT_WARNING:
      break;
  }
}

void on_event(const llmrt_event* e, void* user) { record(e, *static_cast<SeenEvents*>(user)); }

class CApi : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* paths[] = {LLMRT_TEST_PLUGIN_DIR};
    llmrt_error* error = nullptr;
    runtime_.reset(llmrt_runtime_new(paths, 1, &error));
    ASSERT_NE(runtime_, nullptr) << error->describe;
    EXPECT_EQ(error, nullptr);
    EXPECT_STREQ(llmrt_runtime_load_errors(runtime_.get()), "");
    model_ = model_from_json(model_json());
    ASSERT_NE(model_, nullptr);
  }

  std::string model_json() const {
    return R"({"provider": "openai", "model": "gpt-test", "api_base": ")" + server_.base_url() +
           R"(/v1", "keys": ["sk-test-key-0001"], "retry": 0})";
  }
  Owned<llmrt_model> model_from_json(const std::string& json) {
    llmrt_error* error = nullptr;
    Owned<llmrt_model> model(llmrt_model_from_json(runtime_.get(), json.c_str(), &error));
    Owned<llmrt_error> owned(error);
    EXPECT_EQ(error, nullptr) << error->describe;
    return model;
  }
  // The error of a call expected to fail.
  static Owned<llmrt_error> failure(llmrt_error* error) {
    EXPECT_NE(error, nullptr);
    return Owned<llmrt_error>(error);
  }
  static std::string content(const llmrt_result* result) {
    size_t size = 0;
    const char* text = llmrt_result_content(result, &size);
    return std::string(text, size);
  }

  mock::MockServer server_;
  Owned<llmrt_runtime> runtime_;
  Owned<llmrt_model> model_;
  const std::string reply_ = mock::Scenario().content;
};

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
mock::Scenario slow_stream() {
  mock::Scenario s;
  s.content = "one two three four five six seven eight";
  s.chunk_delay = std::chrono::seconds(1);
  return s;
}

struct CancelOnFirstWord {
  SeenEvents seen;
  std::promise<void> first_word;
  bool told = false;
};

void cancel_on_first_word(const llmrt_event* e, void* user) {
  auto& state = *static_cast<CancelOnFirstWord*>(user);
  record(e, state.seen);
  if (e->type == LLMRT_EVENT_CONTENT && !state.told) {
    state.told = true;
    state.first_word.set_value();
  }
}

TEST_F(CApi, CancelFromAnotherThreadEndsACallbackStreamWithThePartialContent) {
  server_.push(slow_stream());
  llmrt_error* error = nullptr;
  Owned<llmrt_cancel> cancel(llmrt_cancel_new(&error));
  ASSERT_NE(cancel, nullptr);
  EXPECT_EQ(llmrt_cancel_is_cancelled(cancel.get()), 0);
  CancelOnFirstWord state;
  std::thread canceller([&, first = state.first_word.get_future()]() mutable {
    first.wait();
    llmrt_cancel_cancel(cancel.get());
  });
  Owned<llmrt_result> result(llmrt_chat_stream(model_.get(), kHello, nullptr, cancel.get(),
                                               cancel_on_first_word, &state, &error));
  canceller.join();
  EXPECT_EQ(result, nullptr);
  Owned<llmrt_error> e = failure(error);
  EXPECT_EQ(e->kind, LLMRT_CANCELLED) << e->describe;
  EXPECT_EQ(llmrt_cancel_is_cancelled(cancel.get()), 1);
  ASSERT_FALSE(state.seen.content.empty());
  EXPECT_EQ(std::string(e->partial_content), state.seen.content);
  EXPECT_LT(state.seen.content.size(), slow_stream().content.size());

  // Cancelling is final: a call given the token later ends at once, before any request.
  const std::size_t requests = server_.requests().size();
  EXPECT_EQ(llmrt_chat(model_.get(), kHello, nullptr, cancel.get(), &error), nullptr);
  EXPECT_EQ(failure(error)->kind, LLMRT_CANCELLED);
  EXPECT_EQ(server_.requests().size(), requests);
}

TEST_F(CApi, StreamCancelFromAnotherThreadWakesAPullWaitingForTheNextEvent) {
  server_.push(slow_stream());
  llmrt_error* error = nullptr;
  Owned<llmrt_stream> stream(llmrt_stream_open(model_.get(), kHello, nullptr, nullptr, &error));
  ASSERT_NE(stream, nullptr) << error->describe;
  std::promise<void> first_word;
  std::thread canceller([&, first = first_word.get_future()]() mutable {
    first.wait();
    llmrt_stream_cancel(stream.get());
  });
  std::string seen;
  const llmrt_event* event = nullptr;
  llmrt_code code = LLMRT_OK;
  while ((code = llmrt_stream_next(stream.get(), &event, &error)) == LLMRT_OK && event != nullptr) {
    if (event->type != LLMRT_EVENT_CONTENT) continue;
    if (seen.empty()) first_word.set_value();
    seen.append(event->text, event->text_size);
  }
  canceller.join();
  EXPECT_EQ(code, LLMRT_CANCELLED);
  Owned<llmrt_error> e = failure(error);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(std::string(e->partial_content), seen);
}

TEST_F(CApi, BadJsonInputIsABadRequestNamingTheArgumentAndWhatWasWrong) {
  auto chat_error = [&](const char* messages, const char* params) {
    llmrt_error* error = nullptr;
    EXPECT_EQ(llmrt_chat(model_.get(), messages, params, nullptr, &error), nullptr);
    Owned<llmrt_error> e = failure(error);
    EXPECT_EQ(e->kind, LLMRT_BAD_REQUEST);
    return std::string(e->describe);
  };
  EXPECT_EQ(chat_error(R"([{"role": "user", "content": }])", nullptr)
                .rfind("bad_request: messages_json: line 1, column 30: invalid JSON", 0),
            0u)
      << chat_error(R"([{"role": "user", "content": }])", nullptr);
  EXPECT_NE(chat_error(R"([{"role": "user", "content": "hi", "colour": 1}])", nullptr)
                .find("messages_json: [0].colour"),
            std::string::npos);
  EXPECT_NE(chat_error("[]", nullptr).find("messages_json"), std::string::npos);
  EXPECT_NE(chat_error(kHello, R"(["temperature"])")
                .find("params_json: expected a JSON object of parameters, got [\"temperature\"]"),
            std::string::npos);
  EXPECT_NE(chat_error(kHello, R"({"temperature": )").find("params_json: invalid JSON"),
            std::string::npos);
  EXPECT_NE(chat_error(kHello, R"({"temperature": "hot"})").find("temperature"), std::string::npos);
  EXPECT_TRUE(server_.requests().empty());  // nothing was sent

  llmrt_error* error = nullptr;
  EXPECT_EQ(llmrt_model_from_json(runtime_.get(), R"({"model": "m", "retry": "two"})", &error),
            nullptr);
  Owned<llmrt_error> e = failure(error);
  EXPECT_EQ(e->kind, LLMRT_BAD_REQUEST);
  EXPECT_STREQ(e->describe,
               R"(bad_request: config_json: $.retry: expected a non-negative integer, got "two")");
  EXPECT_EQ(llmrt_model_from_json(runtime_.get(), R"({"provider": "nope", "model": "m"})", &error),
            nullptr);
  EXPECT_EQ(failure(error)->kind, LLMRT_NOT_FOUND);
}

TEST_F(CApi, NullArgumentsAreErrorsNotCrashes) {
  llmrt_error* error = nullptr;
  auto expect_null_error = [&](const char* describe) {
    Owned<llmrt_error> e = failure(error);
    EXPECT_EQ(e->kind, LLMRT_INVALID_ARGUMENT);
    EXPECT_STREQ(e->describe, describe);
    error = nullptr;
  };
  EXPECT_EQ(llmrt_chat(nullptr, kHello, nullptr, nullptr, &error), nullptr);
  expect_null_error("invalid_argument: llmrt_chat: model is NULL");
  EXPECT_EQ(llmrt_chat(model_.get(), nullptr, nullptr, nullptr, &error), nullptr);
  expect_null_error("invalid_argument: llmrt_chat: messages_json is NULL");
  EXPECT_EQ(llmrt_chat_prompt(model_.get(), nullptr, &error), nullptr);
  expect_null_error("invalid_argument: llmrt_chat_prompt: prompt is NULL");
  EXPECT_EQ(llmrt_chat_stream(model_.get(), kHello, nullptr, nullptr, nullptr, nullptr, &error),
            nullptr);
  expect_null_error("invalid_argument: llmrt_chat_stream: on_event is NULL");
  EXPECT_EQ(llmrt_stream_open(nullptr, kHello, nullptr, nullptr, &error), nullptr);
  expect_null_error("invalid_argument: llmrt_stream_open: model is NULL");
  const llmrt_event* event = nullptr;
  EXPECT_EQ(llmrt_stream_next(nullptr, &event, &error), LLMRT_INVALID_ARGUMENT);
  expect_null_error("invalid_argument: llmrt_stream_next: stream is NULL");
  EXPECT_EQ(llmrt_stream_result(nullptr, &error), nullptr);
  expect_null_error("invalid_argument: llmrt_stream_result: stream is NULL");
  EXPECT_EQ(llmrt_model_by_name(runtime_.get(), nullptr, &error), nullptr);
  expect_null_error("invalid_argument: llmrt_model_by_name: name is NULL");
  EXPECT_EQ(llmrt_model_from_json(nullptr, "{}", &error), nullptr);
  expect_null_error("invalid_argument: llmrt_model_from_json: runtime is NULL");
  EXPECT_EQ(llmrt_runtime_from_config(nullptr, &error), nullptr);
  expect_null_error("invalid_argument: llmrt_runtime_from_config: path is NULL");
  EXPECT_EQ(llmrt_runtime_new(nullptr, 1, &error), nullptr);
  expect_null_error("invalid_argument: llmrt_runtime_new: plugin_paths is NULL");

  // Without an error out-parameter the code alone tells.
  EXPECT_EQ(llmrt_chat(nullptr, kHello, nullptr, nullptr, nullptr), nullptr);
  EXPECT_EQ(llmrt_stream_next(nullptr, nullptr, nullptr), LLMRT_INVALID_ARGUMENT);
  // Accessors of no result read as empty; freeing nothing does nothing.
  size_t size = 7;
  EXPECT_STREQ(llmrt_result_content(nullptr, &size), "");
  EXPECT_EQ(size, 0u);
  EXPECT_STREQ(llmrt_result_tool_calls_json(nullptr), "[]");
  EXPECT_EQ(llmrt_result_usage(nullptr, nullptr), 0);
  EXPECT_STREQ(llmrt_model_name(nullptr), "");
  llmrt_cancel_cancel(nullptr);
  llmrt_stream_cancel(nullptr);
  llmrt_result_free(nullptr);
  llmrt_stream_free(nullptr);
  llmrt_model_free(nullptr);
  llmrt_runtime_free(nullptr);
  llmrt_cancel_free(nullptr);
  llmrt_error_free(nullptr);
}

TEST_F(CApi, ModelFromAConfigFileRouteFallsBackAndNamesWhoServed) {
  test::TempDir dir;
  const std::string base = server_.base_url() + "/v1";
  const std::string file =
      dir.write("llmrt.json", R"({"plugin_paths": [")" LLMRT_TEST_PLUGIN_DIR R"("],
        "models": {
          "primary": {"model": "gpt-a", "api_base": ")" +
                                  base + R"(", "keys": ["sk-a"], "retry": 0},
          "backup": {"model": "gpt-b", "api_base": ")" +
                                  base + R"(", "keys": ["sk-b"], "retry": 0}
        },
        "routes": {"smart": {"targets": ["primary"], "fallbacks": ["backup"]}}})");
  llmrt_error* error = nullptr;
  Owned<llmrt_runtime> runtime(llmrt_runtime_from_config(file.c_str(), &error));
  ASSERT_NE(runtime, nullptr) << error->describe;
  Owned<llmrt_model> smart(llmrt_model_by_name(runtime.get(), "smart", &error));
  ASSERT_NE(smart, nullptr) << error->describe;
  EXPECT_STREQ(llmrt_model_name(smart.get()), "smart");

  mock::Scenario down;
  down.status = 500;
  server_.push(down);
  Owned<llmrt_result> result(llmrt_chat_prompt(smart.get(), "hi", &error));
  ASSERT_NE(result, nullptr) << error->describe;
  EXPECT_STREQ(llmrt_result_served_by(result.get()), "backup");
  EXPECT_EQ(content(result.get()), reply_);

  EXPECT_EQ(llmrt_model_by_name(runtime.get(), "clever", &error), nullptr);
  Owned<llmrt_error> e = failure(error);
  EXPECT_EQ(e->kind, LLMRT_NOT_FOUND);
  EXPECT_NE(std::string(e->message).find("models: backup, primary; routes: smart"),
            std::string::npos)
      << e->message;

  EXPECT_EQ(llmrt_runtime_from_config((dir.path() + "/missing.json").c_str(), &error), nullptr);
  e = failure(error);
  EXPECT_EQ(e->kind, LLMRT_BAD_REQUEST);
  EXPECT_NE(std::string(e->message).find("missing.json: cannot read the file"), std::string::npos);
}

TEST_F(CApi, ModelOutlivesItsRuntime) {
  runtime_.reset();
  llmrt_error* error = nullptr;
  Owned<llmrt_result> result(llmrt_chat_prompt(model_.get(), "hi", &error));
  ASSERT_NE(result, nullptr) << error->describe;
  EXPECT_EQ(content(result.get()), reply_);
}

TEST(CApiRuntime, PluginFilesThatFailToLoadAreListedAndTheOthersStillLoad) {
  test::TempDir dir;
  const std::string broken = dir.write("libllmrt_broken.so", "not a shared library");
  const char* paths[] = {broken.c_str(), LLMRT_TEST_PLUGIN_DIR};
  llmrt_error* error = nullptr;
  Owned<llmrt_runtime> runtime(llmrt_runtime_new(paths, 2, &error));
  ASSERT_NE(runtime, nullptr) << error->describe;
  const std::string errors = llmrt_runtime_load_errors(runtime.get());
  EXPECT_NE(errors.find(broken), std::string::npos) << errors;
  EXPECT_EQ(std::count(errors.begin(), errors.end(), '\n'), 1) << errors;
  Owned<llmrt_model> model(llmrt_model_from_json(
      runtime.get(), R"({"provider": "anthropic", "model": "m", "keys": ["sk-a"]})", &error));
  EXPECT_NE(model, nullptr) << error->describe;
}

TEST(CApiCodes, NamesAreTheCoresKindNames) {
  for (int kind = LLMRT_RATE_LIMITED; kind <= LLMRT_CANCELLED; ++kind) {
    std::optional<ErrorKind> core = error_kind_from_string(llmrt_code_name(llmrt_code(kind)));
    ASSERT_TRUE(core.has_value()) << llmrt_code_name(llmrt_code(kind));
    EXPECT_EQ(static_cast<int>(*core) + 1, kind);
  }
  EXPECT_STREQ(llmrt_code_name(LLMRT_OK), "ok");
  EXPECT_STREQ(llmrt_code_name(LLMRT_INVALID_ARGUMENT), "invalid_argument");
  EXPECT_STREQ(llmrt_code_name(llmrt_code(55)), "unknown");
  EXPECT_STRNE(llmrt_version(), "");
}

}  // namespace
}  // namespace llmrt
