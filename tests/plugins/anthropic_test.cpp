// The real anthropic plugin, loaded from its shared library by the registry: the Messages API
// request (https://docs.anthropic.com/en/api/messages), the recorded streams and bodies of
// tests/data/anthropic replayed by the kit at every split, and what a hostile stream gets.
#include <gtest/gtest.h>

#include "llmrt/kit/cases.h"
#include "llmrt/kit/replay.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/json.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

const Provider& anthropic() {
  static auto p = test::load_plugin("anthropic");
  return *p;
}

ChatRequest anthropic_sample() {
  ChatRequest r;
  r.model = "claude-sonnet-4-5";
  r.messages = {{.role = "system", .content = "Be brief."},
                {.role = "user", .content = "Weather in Oslo?"}};
  return r;
}

json::Document anthropic_body(const HttpRequest& http) { return json::Document::parse(http.body); }

TEST(AnthropicPlugin, DescribesItself) {
  ProviderInfo info = anthropic().info();
  EXPECT_EQ(info.name, "anthropic");
  EXPECT_EQ(info.default_api_base, "https://api.anthropic.com/v1");
  EXPECT_EQ(info.key_env_var, "ANTHROPIC_API_KEY");
  EXPECT_EQ(info.options, (std::vector<std::string>{"anthropic_beta", "thinking_budget"}));
}

TEST(AnthropicRequest, HeadersSystemAndTheRequiredMaxTokens) {
  HttpRequest http = anthropic().build_request(anthropic_sample(), {"sk-ant-1", ""});
  EXPECT_EQ(http.url, "https://api.anthropic.com/v1/messages");
  EXPECT_EQ(*find_header(http.headers, "x-api-key"), "sk-ant-1");
  EXPECT_EQ(*find_header(http.headers, "anthropic-version"), "2023-06-01");
  EXPECT_EQ(find_header(http.headers, "Authorization"), nullptr);
  EXPECT_EQ(find_header(http.headers, "anthropic-beta"), nullptr);
  auto doc = anthropic_body(http);
  EXPECT_EQ(doc.root()["system"].str(), "Be brief.");
  EXPECT_EQ(doc.root()["messages"].size(), 1u);  // the system prompt is no message
  EXPECT_EQ(doc.root()["max_tokens"].as_int64(), 4096);
  EXPECT_FALSE(doc.root()["stream"].exists());
  EXPECT_TRUE(http.warnings.empty());  // a documented default, not a warning on every call
}

TEST(AnthropicRequest, ThinkingBudgetAndBetaOptions) {
  ChatRequest r = anthropic_sample();
  r.stream = true;
  r.options = {{"thinking_budget", "2048"}, {"anthropic_beta", "interleaved-thinking-2025-05-14"}};
  HttpRequest http = anthropic().build_request(r, {"k", ""});
  EXPECT_EQ(*find_header(http.headers, "anthropic-beta"), "interleaved-thinking-2025-05-14");
  auto doc = anthropic_body(http);
  EXPECT_EQ(doc.root()["thinking"]["type"].str(), "enabled");
  EXPECT_EQ(doc.root()["thinking"]["budget_tokens"].as_int64(), 2048);
  // The default answer keeps its 4096 tokens after the thinking.
  EXPECT_EQ(doc.root()["max_tokens"].as_int64(), 2048 + 4096);
  EXPECT_EQ(doc.root()["stream"].as_bool(), true);

  r.params.max_new_tokens = 3000;  // a set max_tokens is sent as it is
  EXPECT_EQ(anthropic_body(anthropic().build_request(r, {"k", ""})).root()["max_tokens"].as_int64(),
            3000);

  for (const char* bad : {"lots", "-5", "1.5", ""}) {
    r.options["thinking_budget"] = bad;
    try {
      anthropic().build_request(r, {"k", ""});
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::bad_request);
      EXPECT_NE(std::string(e.what()).find("thinking_budget"), std::string::npos) << e.what();
    }
  }
}

// The thinking block and its signature go back first in the assistant turn, as the API asks of
// a turn that continues a tool call; then the text, the tool_use blocks, the results.
TEST(AnthropicRequest, ThinkingSignatureToolUseAndResultsGoBack) {
  ChatRequest r = anthropic_sample();
  r.params.max_new_tokens = 100;
  r.messages.push_back(
      {.role = "assistant",
       .content = "Checking.",
       .tool_calls = {{.id = "toolu_1", .name = "weather", .arguments = ""},
                      {.id = "toolu_2", .name = "time", .arguments = "{\"tz\":1}"}},
       .reasoning = {{.text = "Use the tool.", .signature = "sig-1"}, {.redacted = "ENCRYPTED"}}});
  r.messages.push_back({.role = "tool", .content = "18 C", .tool_call_id = "toolu_1"});
  r.messages.push_back({.role = "tool", .content = "14:05", .tool_call_id = "toolu_2"});
  auto doc = anthropic_body(anthropic().build_request(r, {"k", ""}));
  const json::Value m = doc.root()["messages"];
  ASSERT_EQ(m.size(), 4u);
  const json::Value a = m[1]["content"];
  EXPECT_EQ(m[1]["role"].str(), "assistant");
  EXPECT_EQ(a[0]["type"].str(), "thinking");
  EXPECT_EQ(a[0]["thinking"].str(), "Use the tool.");
  EXPECT_EQ(a[0]["signature"].str(), "sig-1");
  EXPECT_EQ(a[1]["type"].str(), "redacted_thinking");
  EXPECT_EQ(a[1]["data"].str(), "ENCRYPTED");
  EXPECT_EQ(a[2]["text"].str(), "Checking.");
  EXPECT_EQ(a[3]["type"].str(), "tool_use");
  EXPECT_EQ(a[3]["input"].raw(), "{}");  // no arguments: an empty object, as the API wants
  EXPECT_EQ(a[4]["input"]["tz"].as_int64(), 1);
  for (int i : {2, 3}) {
    EXPECT_EQ(m[i]["role"].str(), "user");
    EXPECT_EQ(m[i]["content"][0]["type"].str(), "tool_result");
  }
  EXPECT_EQ(m[2]["content"][0]["tool_use_id"].str(), "toolu_1");
  EXPECT_EQ(m[3]["content"][0]["content"].str(), "14:05");
}

TEST(AnthropicRequest, ToolsToolChoiceStopSequencesAndImages) {
  ChatRequest r = anthropic_sample();
  r.params.stop_words = {"\n\nHuman:", "END"};
  r.params.tools = {
      {.name = "weather", .description = "Now", .parameters_json = R"({"type":"object"})"},
      {.name = "noargs"}};
  r.messages[1].parts = {ImagePart{.url = "https://example.com/a.png"},
                         ImagePart{.media_type = "image/png", .data = "iVBOR"}};
  const std::pair<ToolChoice, std::string> choices[] = {
      {{ToolChoiceMode::automatic, ""}, "auto"},
      {{ToolChoiceMode::none, ""}, "none"},
      {{ToolChoiceMode::required, ""}, "any"},
      {{ToolChoiceMode::function, "weather"}, "tool"}};
  for (const auto& [choice, type] : choices) {
    r.params.tool_choice = choice;
    auto doc = anthropic_body(anthropic().build_request(r, {"k", ""}));
    EXPECT_EQ(doc.root()["tool_choice"]["type"].str(), type);
    EXPECT_EQ(doc.root()["tool_choice"]["name"].str(), choice.name);
  }
  auto doc = anthropic_body(anthropic().build_request(r, {"k", ""}));
  EXPECT_EQ(doc.root()["stop_sequences"][1].str(), "END");
  EXPECT_FALSE(doc.root()["stop"].exists());
  EXPECT_EQ(doc.root()["tools"][0]["input_schema"]["type"].str(), "object");
  EXPECT_EQ(doc.root()["tools"][0]["description"].str(), "Now");
  EXPECT_EQ(doc.root()["tools"][1]["input_schema"].raw(), R"({"type":"object"})");
  const json::Value content = doc.root()["messages"][0]["content"];
  EXPECT_EQ(content[0]["text"].str(), "Weather in Oslo?");
  EXPECT_EQ(content[1]["source"]["type"].str(), "url");
  EXPECT_EQ(content[2]["source"]["type"].str(), "base64");
  EXPECT_EQ(content[2]["source"]["media_type"].str(), "image/png");
}

TEST(AnthropicRequest, WhatTheApiCannotTakeIsRefusedOrWarned) {
  ChatRequest r = anthropic_sample();
  r.params.max_new_tokens = 10;
  r.params.seed = 1;
  r.params.json_mode = true;
  EXPECT_EQ(anthropic().build_request(r, {"k", ""}).warnings,
            (std::vector<std::string>{"seed is not a Messages API parameter: not sent",
                                      "json_mode is not a Messages API parameter: not sent"}));
  ChatRequest odd_role = anthropic_sample();
  odd_role.messages.push_back({.role = "environment", .content = "x"});
  EXPECT_THROW(anthropic().build_request(odd_role, {"k", ""}), Error);
  ChatRequest bad_args = anthropic_sample();
  bad_args.messages.push_back(
      {.role = "assistant", .tool_calls = {{.id = "t", .name = "f", .arguments = "[1]"}}});
  try {
    anthropic().build_request(bad_args, {"k", ""});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
  }
}

// Every recorded stream and body: whole, byte by byte and split at every offset, against its
// golden --events lines (the same folder `llmrt test-plugin` runs: plugins.test_plugin.anthropic).
TEST(AnthropicRecorded, EveryCaseGivesItsGoldenEventsInEverySplit) {
  const std::string dir = std::string(LLMRT_TEST_DATA_DIR) + "/anthropic";
  const std::vector<std::string> names = kit::case_names(dir);
  ASSERT_GE(names.size(), 30u);
  for (const std::string& name : names) {
    kit::CaseOutcome outcome = kit::run_case(anthropic(), dir, name);
    EXPECT_TRUE(outcome.passed) << name << ": " << outcome.difference;
  }
}

std::vector<std::string> anthropic_raw_events(const std::string& file) {
  kit::RecordedResponse response{.request = {.stream = true},
                                 .body = test::read_data("anthropic/" + file)};
  return kit::replay(anthropic(), response, {response.body}).raw_lines;
}

TEST(AnthropicRecorded, ToolInputFragmentsAndTheSignatureAsTheDecoderGivesThem) {
  EXPECT_EQ(
      anthropic_raw_events("vercel_tool_use.sse"),
      (std::vector<std::string>{
          R"({"type":"tool_call_delta","index":0,"id":"toolu_01KFbKqPYSuAKujiL6mTfzYA","name":"json","arguments":""})",
          R"({"type":"tool_call_delta","index":0,"id":"","name":"","arguments":"{\"elements\": [{\"location\": \"San Francisco\", \"temperature\": 58, \"condition\": \"sunny\"}]"})",
          R"({"type":"tool_call_delta","index":0,"id":"","name":"","arguments":"}"})",
          R"({"type":"finish","reason":"tool_calls","raw":"tool_use"})",
          R"({"type":"usage","prompt_tokens":849,"completion_tokens":47,"total_tokens":896})",
          R"({"type":"done"})"}));
  for (const char* file : {"vercel_text.sse", "vercel_thinking.sse", "cache_usage.sse",
                           "redacted_thinking.sse", "unknown_events.sse", "stop_refusal.sse"}) {
    EXPECT_EQ(anthropic_raw_events(file).back(), R"({"type":"done"})") << file;
  }
}

std::vector<std::string> decode_anthropic(const std::string& body,
                                          std::size_t max_event_bytes = 1 << 20) {
  return test::decode_reads(anthropic(), ChatRequest{.stream = true}, {body},
                            DecoderLimits{.max_event_bytes = max_event_bytes});
}

TEST(AnthropicStream, HostileBytesAreClearProtocolErrors) {
  try {
    decode_anthropic("event: content_block_delta\ndata: {\"type\": [tru\n\n");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::protocol);
    EXPECT_NE(std::string(e.what()).find("content_block_delta"), std::string::npos) << e.what();
  }
  // An unnamed event that is no JSON (what a broken proxy sends) is no Anthropic event.
  EXPECT_THROW(decode_anthropic("data: {\"choices\": [tru\n\n"), Error);
  // A line longer than the limit is refused before it grows further.
  try {
    decode_anthropic("event: ping\ndata: " + std::string(5000, 'x') + "\n\n", 1024);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::protocol);
  }
  // Wrong types are no events: no crash, nothing invented.
  EXPECT_EQ(decode_anthropic(
                "event: content_block_delta\ndata: {\"index\":\"x\",\"delta\":7}\n\n"
                "event: message_delta\ndata: {\"delta\":{\"stop_reason\":5},\"usage\":[]}\n\n"
                "event: content_block_start\ndata: {\"index\":1e300,\"content_block\":null}\n\n"),
            std::vector<std::string>{});
}

TEST(AnthropicErrors, EachTypeAndStatusHasItsKind) {
  struct Case {
    int status;
    const char* type;
    const char* message;
    ErrorKind kind;
  };
  for (const Case& c : std::vector<Case>{
           {400, "invalid_request_error", "bad", ErrorKind::bad_request},
           {400, "invalid_request_error", "prompt is too long: 2 > 1", ErrorKind::context_length},
           {400, "invalid_request_error", "Your credit balance is too low",
            ErrorKind::quota_exhausted},
           {401, "authentication_error", "invalid x-api-key", ErrorKind::auth},
           {402, "billing_error", "billing", ErrorKind::quota_exhausted},
           {403, "permission_error", "no", ErrorKind::permission},
           {404, "not_found_error", "model: x", ErrorKind::not_found},
           {413, "request_too_large", "big", ErrorKind::bad_request},
           {429, "rate_limit_error", "slow down", ErrorKind::rate_limited},
           {500, "api_error", "oops", ErrorKind::server},
           {529, "overloaded_error", "Overloaded", ErrorKind::server}}) {
    HttpResponse response{c.status,
                          {{"request-id", "req_1"}},
                          std::string(R"({"type":"error","error":{"type":")") + c.type +
                              R"(","message":")" + c.message + R"("}})"};
    ErrorInfo info = anthropic().classify_error(response);
    EXPECT_EQ(info.kind, c.kind) << c.type;
    EXPECT_EQ(info.code, c.type);
    EXPECT_EQ(info.message, c.message);
    EXPECT_EQ(info.request_id, "req_1");
    EXPECT_EQ(info.retryable.value_or(false), c.status == 529) << c.type;
  }
  // An overloaded_error inside a stream (no status) is a retryable server error.
  auto out = decode_anthropic(
      "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
      "\"message\":\"Overloaded\"}}\n\n");
  EXPECT_EQ(out, std::vector<std::string>{"error:server|overloaded_error|Overloaded"});
}

}  // namespace
}  // namespace llmrt
