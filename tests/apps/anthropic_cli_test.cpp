// `llmrt chat --provider anthropic … --stream --events` against the mock server: the real
// binary, the real plugin, real HTTP. Text, thinking, a streamed tool call, a tool round trip
// from a --messages file, an in-stream error, and the demo's anthropic row.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "llmrt/mock/mock_server.h"
#include "llmrt/sdk/json.h"
#include "support/run_process.h"
#include "support/temp_dir.h"

namespace llmrt {
namespace {

using test::run_process;

std::vector<std::string> anthropic_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(text.substr(start, end - start));
  }
  return lines;
}

class AnthropicCli : public ::testing::Test {
 protected:
  std::vector<std::string> chat(std::vector<std::string> extra) const {
    std::vector<std::string> argv{LLMRT_TEST_CLI, "chat",
                                  "--provider",   "anthropic",
                                  "--model",      "claude-sonnet-4-5",
                                  "--api-base",   server_.base_url() + "/v1",
                                  "--key",        "sk-ant-cli-0001",
                                  "--retry",      "0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }
  json::Document last_body() const { return json::Document::parse(server_.last_request().body); }

  mock::MockServer server_;
  test::TempDir dir_{"llmrt-anthropic"};
};

TEST_F(AnthropicCli, StreamsEventsWithReasoningAndCacheUsage) {
  auto r = run_process(chat({"--stream", "--events", "--option", "thinking_budget=1024", "--param",
                             R"(mock={"reasoning":"Think first.","content":"Hi there.",)"
                             R"("cache_read_tokens":50})",
                             "Say hello"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(
      anthropic_lines(r.out),
      (std::vector<std::string>{
          R"({"type":"reasoning","content":"Think "})",
          R"({"type":"reasoning","content":"first."})", R"({"type":"delta","content":"Hi "})",
          R"({"type":"delta","content":"there."})",
          R"({"type":"message","message":{"role":"assistant","content":"Hi there.",)"
          R"("reasoning":[{"text":"Think first.","signature":"mock-signature-12"}]}})",
          R"({"type":"reasoning_block","index":0,"text":"Think first.",)"
          R"("signature":"mock-signature-12","redacted":""})",
          R"({"type":"usage","prompt_tokens":52,"completion_tokens":2,"total_tokens":54,"cache_read_tokens":50})",
          R"({"type":"end","finish_reason":"stop","finish_reason_raw":"end_turn",)"
          R"("model":"claude-sonnet-4-5","content":"Hi there."})"}))
      << r.out;
  mock::RecordedRequest req = server_.last_request();
  EXPECT_EQ(req.uri, "/v1/messages");
  EXPECT_EQ(*find_header(req.headers, "x-api-key"), "sk-ant-cli-0001");
  json::Document body = last_body();
  EXPECT_EQ(body.root()["thinking"]["budget_tokens"].as_int64(), 1024);
  // The max_tokens the API requires: the default (4096) after the thinking budget.
  EXPECT_EQ(body.root()["max_tokens"].as_int64(), 1024 + 4096);
  EXPECT_EQ(body.root()["messages"][0]["content"][0]["text"].str(), "Say hello");
}

TEST_F(AnthropicCli, AStreamedToolCallIsAssembledFromItsFragments) {
  auto r = run_process(
      chat({"--stream", "--events", "--param",
            R"(mock={"content":"Looking.","tool_calls":[{"id":"toolu_1","name":"get_weather",)"
            R"("arguments":"{\"city\":\"Oslo\"}"}]})",
            "Weather?"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = anthropic_lines(r.out);
  ASSERT_GE(lines.size(), 3u) << r.out;
  EXPECT_NE(r.out.find(R"({"type":"tool_call","index":0,"id":"toolu_1","name":"get_weather",)"
                       R"("arguments":"{\"city\":\"Oslo\"}"})"),
            std::string::npos)
      << r.out;
  EXPECT_NE(lines.back().find(R"("finish_reason":"tool_calls","finish_reason_raw":"tool_use")"),
            std::string::npos)
      << r.out;
}

// The turn after the call: the assistant's tool_use and the tool's result from a --messages
// file in OpenAI's format reach the Messages API in its shapes, and the final answer streams.
TEST_F(AnthropicCli, ToolRoundTripFromAMessagesFile) {
  const std::string messages = dir_.write("messages.json", R"([
    {"role": "system", "content": "Use the tools."},
    {"role": "user", "content": "Weather in Oslo?"},
    {"role": "assistant", "content": null,
     "tool_calls": [{"id": "toolu_1", "type": "function",
                     "function": {"name": "get_weather", "arguments": "{\"city\":\"Oslo\"}"}}]},
    {"role": "tool", "tool_call_id": "toolu_1", "content": "18 C, sunny"}
  ])");
  const std::string tools = dir_.write("tools.json", R"([{"type": "function", "function": {
    "name": "get_weather", "parameters": {"type": "object",
    "properties": {"city": {"type": "string"}}, "required": ["city"]}}}])");
  auto r =
      run_process(chat({"--stream", "--events", "--messages", messages, "--tools", tools,
                        "--tool-choice", "auto", "--param", R"(mock={"content":"It is sunny."})"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(anthropic_lines(r.out).back(),
            R"({"type":"end","finish_reason":"stop","finish_reason_raw":"end_turn",)"
            R"("model":"claude-sonnet-4-5","content":"It is sunny."})");
  json::Document doc = last_body();
  json::Value body = doc.root();
  EXPECT_EQ(body["system"].str(), "Use the tools.");
  json::Value m = body["messages"];
  ASSERT_EQ(m.size(), 3u) << server_.last_request().body;
  EXPECT_EQ(m[1]["role"].str(), "assistant");
  EXPECT_EQ(m[1]["content"][0]["type"].str(), "tool_use");
  EXPECT_EQ(m[1]["content"][0]["input"]["city"].str(), "Oslo");
  EXPECT_EQ(m[2]["role"].str(), "user");
  EXPECT_EQ(m[2]["content"][0]["tool_use_id"].str(), "toolu_1");
  EXPECT_EQ(m[2]["content"][0]["content"].str(), "18 C, sunny");
  EXPECT_EQ(body["tools"][0]["input_schema"]["required"][0].str(), "city");
  EXPECT_EQ(body["tool_choice"]["type"].str(), "auto");
}

TEST_F(AnthropicCli, AnInStreamErrorEndsWithThePartialText) {
  auto r = run_process(
      chat({"--stream", "--events", "--param",
            R"(mock={"chunks":2,"stream_error":"{\"type\":\"error\",\"error\":{\"type\":)"
            R"(\"overloaded_error\",\"message\":\"Overloaded\"}}"})",
            "Say hello"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json::Document last = json::Document::parse(anthropic_lines(r.out).back());
  EXPECT_EQ(last.root()["type"].str(), "error");
  EXPECT_EQ(last.root()["kind"].str(), "server");
  EXPECT_EQ(last.root()["code"].str(), "overloaded_error");
  EXPECT_EQ(last.root()["partial_content"].str(), "Hello! This ");
}

TEST_F(AnthropicCli, AnUnknownOptionIsRefusedNamingTheKnownOnes) {
  auto r = run_process(chat({"--option", "thinking=1", "hi"}));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("anthropic_beta"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("thinking_budget"), std::string::npos) << r.err;
  EXPECT_TRUE(server_.requests().empty());
}

}  // namespace
}  // namespace llmrt
