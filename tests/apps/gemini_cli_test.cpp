// The gemini plugin through the real `llmrt` command against the mock server's Gemini protocol:
// a streamed chat with --events, a tool round trip whose second turn is the first's "message"
// event plus the tool's result (the call's id, its function's name and the thought signature
// reaching the body), and the demo's row.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "llmrt/mock/mock_server.h"
#include "llmrt/sdk/json.h"
#include "llmrt/sdk/json_writer.h"
#include "support/contains.h"
#include "support/run_process.h"
#include "support/temp_dir.h"

namespace llmrt {
namespace {

using test::contains;
using test::run_process;

constexpr const char* kGeminiTools = R"([{"type": "function", "function": {
  "name": "get_weather", "description": "The weather now in a city",
  "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                 "required": ["city"]}}}])";

std::vector<std::string> gemini_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(text.substr(start, end - start));
  }
  return lines;
}

class GeminiCli : public ::testing::Test {
 protected:
  std::vector<std::string> chat(std::vector<std::string> extra) const {
    std::vector<std::string> argv{
        LLMRT_TEST_CLI,     "chat",       "--provider",       "gemini", "--model",
        "gemini-2.5-flash", "--api-base", base() + "/v1beta", "--key",  "AIza-cli-key",
        "--retry",          "0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }
  std::string base() const { return server_.base_url(); }
  json::Document last_body() const { return json::Document::parse(server_.last_request().body); }

  mock::MockServer server_;
  test::TempDir dir_{"llmrt-gemini"};
};

TEST_F(GeminiCli, StreamWithEventsPrintsDeltasUsageAndTheEnd) {
  auto r = run_process(chat({"--stream", "--events", "Say hello"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = gemini_lines(r.out);
  ASSERT_GE(lines.size(), 3u) << r.out;
  std::string text;
  long long prompt_tokens = -1;
  for (const std::string& line : lines) {
    auto doc = json::Document::parse(line);
    if (doc.root()["type"].str() == "delta") text += doc.root()["content"].str();
    if (doc.root()["type"].str() == "usage")
      prompt_tokens = *doc.root()["prompt_tokens"].as_int64();
  }
  EXPECT_EQ(text, mock::Scenario{}.full_content());
  EXPECT_EQ(prompt_tokens, 2) << r.out;  // the mock counts the prompt's words
  auto end = json::Document::parse(lines.back());
  EXPECT_EQ(end.root()["type"].str(), "end");
  EXPECT_EQ(end.root()["finish_reason"].str(), "stop");
  EXPECT_EQ(end.root()["finish_reason_raw"].str(), "STOP");
  EXPECT_EQ(server_.last_request().uri,
            "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
  EXPECT_EQ(*find_header(server_.last_request().headers, "x-goog-api-key"), "AIza-cli-key");
}

TEST_F(GeminiCli, ToolRoundTripCallResultFinalAnswer) {
  mock::Scenario calls;
  calls.reasoning = "Needs the weather.";
  calls.content = "";
  calls.tool_calls = {{"", "get_weather", R"({"city":"Oslo"})"}};
  calls.chunks = 0;
  server_.push(calls);
  const std::string tools = dir_.write("tools.json", kGeminiTools);
  auto first = run_process(chat({"--tools", tools, "--stream", "--events", "Weather in Oslo?"}));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::string message;
  bool called = false;
  for (const std::string& line : gemini_lines(first.out)) {
    auto doc = json::Document::parse(line);
    json::Value e = doc.root();
    if (e["type"].str() == "tool_call") {
      called = true;
      EXPECT_EQ(e["id"].str(), "call_0");
      EXPECT_EQ(e["name"].str(), "get_weather");
      EXPECT_EQ(e["arguments"].str(), R"({"city":"Oslo"})");
    }
    if (e["type"].str() == "message") message = e["message"].raw();
    if (e["type"].str() == "end") {
      EXPECT_EQ(e["finish_reason"].str(), "tool_calls");
    }
  }
  ASSERT_TRUE(called) << first.out;
  ASSERT_FALSE(message.empty()) << first.out;
  EXPECT_TRUE(contains(message, "bW9jayB0aG91Z2h0IHNpZ25hdHVyZQ==")) << message;

  const std::string next = dir_.write(
      "next.json", R"([{"role":"user","content":"Weather in Oslo?"},)" + message +
                       R"(,{"role":"tool","tool_call_id":"call_0","content":"18 C, sunny"}])");
  auto second = run_process(chat({"--tools", tools, "--messages", next}));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(contains(second.out, mock::Scenario{}.full_content())) << second.out;
  json::Document body = last_body();
  json::Value contents = body.root()["contents"];
  ASSERT_EQ(contents.size(), 3u) << server_.last_request().body;
  json::Value call_part = contents[1]["parts"][1];
  EXPECT_EQ(call_part["functionCall"]["name"].str(), "get_weather") << server_.last_request().body;
  EXPECT_EQ(call_part["thoughtSignature"].str(), "bW9jayB0aG91Z2h0IHNpZ25hdHVyZQ==");
  json::Value result = contents[2]["parts"][0]["functionResponse"];
  EXPECT_EQ(result["name"].str(), "get_weather");
  EXPECT_EQ(result["response"]["output"].str(), "18 C, sunny");
  json::Value declaration = body.root()["tools"][0]["functionDeclarations"][0];
  EXPECT_EQ(declaration["name"].str(), "get_weather");
  EXPECT_EQ(declaration["parametersJsonSchema"]["required"][0].str(), "city");
}

TEST_F(GeminiCli, ToolChoiceAndParamsReachTheirGeminiPlaces) {
  const std::string tools = dir_.write("tools.json", kGeminiTools);
  auto r = run_process(
      chat({"--tools", tools, "--tool-choice", "get_weather", "--json-mode", "--param",
            "max_new_tokens=64", "--param", R"(thinkingConfig={"thinkingBudget":0})", "hi"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json::Document body = last_body();
  json::Value calling = body.root()["toolConfig"]["functionCallingConfig"];
  EXPECT_EQ(calling["mode"].str(), "ANY");
  EXPECT_EQ(calling["allowedFunctionNames"][0].str(), "get_weather");
  json::Value config = body.root()["generationConfig"];
  EXPECT_EQ(config["maxOutputTokens"].as_int64(), 64);
  EXPECT_EQ(config["responseMimeType"].str(), "application/json");
  EXPECT_EQ(config["thinkingConfig"]["thinkingBudget"].as_int64(), 0);
}

TEST_F(GeminiCli, BlockedPromptFailsAsContentFilter) {
  auto r = run_process(
      chat({"--param", R"(mock={"error_code":"SAFETY"})", "--stream", "--events", "hi"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::vector<std::string> lines = gemini_lines(r.out);
  ASSERT_FALSE(lines.empty()) << r.err;
  auto error = json::Document::parse(lines.back());
  EXPECT_EQ(error.root()["kind"].str(), "content_filter") << r.out;
  EXPECT_EQ(error.root()["code"].str(), "SAFETY");
}

}  // namespace
}  // namespace llmrt
