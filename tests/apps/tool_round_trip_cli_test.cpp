// A tool round trip through the real CLI and the real plugins: a --messages file in OpenAI's
// format (an assistant message with tool_calls, the tool's result) and --tools reach the mock
// server intact for every shipped plugin; image parts reach the OpenAI body; a bad message is a
// usage error naming the file, the message and the key.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "llmrt/mock/mock_server.h"
#include "llmrt/sdk/json.h"
#include "support/contains.h"
#include "support/run_process.h"
#include "support/temp_dir.h"

namespace llmrt {
namespace {

using test::contains;
using test::run_process;

constexpr const char* kConversation = R"([
  {"role": "system", "content": "Answer with the tools you have."},
  {"role": "user", "content": "Weather in Oslo?"},
  {"role": "assistant", "content": null,
   "tool_calls": [{"id": "call_1", "type": "function",
                   "function": {"name": "get_weather", "arguments": "{\"city\":\"Oslo\"}"}}]},
  {"role": "tool", "tool_call_id": "call_1", "content": "18 C, sunny"}
])";

constexpr const char* kTools = R"([{"type": "function", "function": {
  "name": "get_weather", "description": "The weather now in a city",
  "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                 "required": ["city"]}}}])";

// A JSONL line holds no line break.
std::string one_line(std::string text) {
  std::erase(text, '\n');
  return text;
}

struct Target {
  const char* name;
  const char* provider;
  const char* api_base;  // under the mock server's URL
  bool native;           // DashScope native: messages under input, tools under parameters
};

class ToolRoundTripCli : public ::testing::Test {
 protected:
  std::vector<std::string> chat(const Target& t, std::vector<std::string> extra) const {
    std::vector<std::string> argv{
        LLMRT_TEST_CLI, "chat", "--provider", t.provider,
        "--model",      "m",    "--api-base", server_.base_url() + t.api_base,
        "--key",        "k",    "--retry",    "0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  json::Document last_body() const { return json::Document::parse(server_.last_request().body); }

  mock::MockServer server_;
  test::TempDir dir_{"llmrt-tools"};
};

const Target kOpenAi{"openai", "openai", "/v1", false};

TEST_F(ToolRoundTripCli, AConversationWithToolCallsAndResultsReachesEveryPluginIntact) {
  const std::string messages = dir_.write("messages.json", kConversation);
  const std::string tools = dir_.write("tools.json", kTools);
  for (const Target& t : {kOpenAi, Target{"qwen native", "qwen", "/api/v1", true},
                          Target{"qwen compatible", "qwen", "/compatible-mode/v1", false},
                          Target{"internlm", "internlm", "/api/v1", false}}) {
    SCOPED_TRACE(t.name);
    server_.clear_requests();
    auto r = run_process(chat(t, {"--messages", messages, "--tools", tools}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json::Document doc = last_body();
    json::Value body = doc.root();
    json::Value m = t.native ? body["input"]["messages"] : body["messages"];
    ASSERT_EQ(m.size(), 4u) << server_.last_request().body;
    EXPECT_EQ(m[0]["role"].str(), "system");
    EXPECT_EQ(m[0]["content"].str(), "Answer with the tools you have.");
    EXPECT_EQ(m[1]["role"].str(), "user");
    EXPECT_EQ(m[1]["content"].str(), "Weather in Oslo?");
    EXPECT_EQ(m[2]["role"].str(), "assistant");
    // DashScope's native examples give "" where OpenAI's API gives null.
    if (t.native) {
      EXPECT_EQ(m[2]["content"].as_string(), "") << server_.last_request().body;
    } else {
      EXPECT_TRUE(m[2]["content"].is_null()) << server_.last_request().body;
    }
    json::Value call = m[2]["tool_calls"][0];
    EXPECT_EQ(m[2]["tool_calls"].size(), 1u);
    EXPECT_EQ(call["id"].str(), "call_1");
    EXPECT_EQ(call["type"].str(), "function");
    EXPECT_EQ(call["function"]["name"].str(), "get_weather");
    EXPECT_EQ(call["function"]["arguments"].str(), R"({"city":"Oslo"})");
    EXPECT_EQ(m[3]["role"].str(), "tool");
    EXPECT_EQ(m[3]["tool_call_id"].str(), "call_1");
    EXPECT_EQ(m[3]["content"].str(), "18 C, sunny");

    json::Value tool_list = t.native ? body["parameters"]["tools"] : body["tools"];
    ASSERT_EQ(tool_list.size(), 1u) << server_.last_request().body;
    EXPECT_EQ(tool_list[0]["type"].str(), "function");
    json::Value f = tool_list[0]["function"];
    EXPECT_EQ(f["name"].str(), "get_weather");
    EXPECT_EQ(f["description"].str(), "The weather now in a city");
    EXPECT_EQ(f["parameters"]["type"].str(), "object");
    EXPECT_EQ(f["parameters"]["properties"]["city"]["type"].str(), "string");
    EXPECT_EQ(f["parameters"]["required"][0].str(), "city");
    EXPECT_FALSE(body["tool_choice"].exists());
    EXPECT_FALSE(body["parameters"]["tool_choice"].exists());
  }
}

TEST_F(ToolRoundTripCli, ToolChoiceReachesTheBodyInEachApisPlace) {
  const std::string tools = dir_.write("tools.json", kTools);
  auto r = run_process(chat(kOpenAi, {"--tools", tools, "--tool-choice", "get_weather", "hi"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json::Document doc = last_body();
  EXPECT_EQ(doc.root()["tool_choice"]["type"].str(), "function");
  EXPECT_EQ(doc.root()["tool_choice"]["function"]["name"].str(), "get_weather");

  r = run_process(chat(kOpenAi, {"--param", "tools=" + std::string(kTools), "--param",
                                 "tool_choice=required", "hi"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  doc = last_body();
  EXPECT_EQ(doc.root()["tool_choice"].str(), "required");
  EXPECT_EQ(doc.root()["tools"][0]["function"]["name"].str(), "get_weather");

  r = run_process(chat({"qwen native", "qwen", "/api/v1", true},
                       {"--tools", tools, "--tool-choice", "none", "hi"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  doc = last_body();
  EXPECT_EQ(doc.root()["parameters"]["tool_choice"].str(), "none");

  // Puyu documents tools but no tool_choice: refused before anything is sent.
  server_.clear_requests();
  r = run_process(chat({"internlm", "internlm", "/api/v1", false},
                       {"--tools", tools, "--tool-choice", "auto", "hi"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "tool_choice")) << r.err;
  EXPECT_TRUE(contains(r.err, "internlm")) << r.err;
  EXPECT_TRUE(server_.requests().empty());
}

// The APIs answer a 400 to a tool_choice that must call a tool when there is none to call, or
// that names one not given: refused before anything is sent, naming the tools there are.
TEST_F(ToolRoundTripCli, AToolChoiceThatNoToolGivenCanMeetIsRefusedBeforeSending) {
  const std::string tools = dir_.write("tools.json", kTools);
  server_.clear_requests();
  auto r = run_process(chat(kOpenAi, {"--tool-choice", "get_wether", "hi"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "tool_choice 'get_wether' needs tools to call, and none are given"))
      << r.err;
  r = run_process(chat(kOpenAi, {"--tools", tools, "--tool-choice", "get_wether", "hi"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err,
                       "tool_choice 'get_wether' names no tool given (the tools: "
                       "get_weather)"))
      << r.err;
  r = run_process(chat(kOpenAi, {"--param", "tool_choice=required", "hi"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "tool_choice \"required\" needs tools to call")) << r.err;
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(ToolRoundTripCli, ImagePartsReachTheOpenAiBodyAsImageUrl) {
  const std::string messages = dir_.write("messages.json", R"([{"role": "user", "content": [
    {"type": "text", "text": "What is on these?"},
    {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "low"}},
    {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]}])");
  auto r = run_process(chat(kOpenAi, {"--messages", messages}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json::Document doc = last_body();
  json::Value content = doc.root()["messages"][0]["content"];
  ASSERT_EQ(content.size(), 3u) << server_.last_request().body;
  EXPECT_EQ(content[0]["type"].str(), "text");
  EXPECT_EQ(content[0]["text"].str(), "What is on these?");
  EXPECT_EQ(content[1]["type"].str(), "image_url");
  EXPECT_EQ(content[1]["image_url"]["url"].str(), "https://example.com/cat.png");
  EXPECT_EQ(content[1]["image_url"]["detail"].str(), "low");
  EXPECT_EQ(content[2]["type"].str(), "image_url");
  EXPECT_EQ(content[2]["image_url"]["url"].str(), "data:image/png;base64,iVBORw0KGgo=");
  EXPECT_FALSE(content[2]["image_url"]["detail"].exists());

  // DashScope's text-generation endpoint takes no images: a usage error naming it.
  server_.clear_requests();
  r = run_process(chat({"qwen native", "qwen", "/api/v1", true}, {"--messages", messages}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "image")) << r.err;
  EXPECT_TRUE(contains(r.err, "DashScope")) << r.err;
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(ToolRoundTripCli, ADeveloperMessageIsSentAsDeveloperToOpenAiAndAsSystemToDashScope) {
  const std::string messages = dir_.write(
      "messages.json",
      R"([{"role": "developer", "content": "Be brief."}, {"role": "user", "content": "hi"}])");
  auto r = run_process(chat(kOpenAi, {"--messages", messages}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(last_body().root()["messages"][0]["role"].str(), "developer");
  r = run_process(chat({"qwen native", "qwen", "/api/v1", true}, {"--messages", messages}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(last_body().root()["input"]["messages"][0]["role"].str(), "system");
}

TEST_F(ToolRoundTripCli, AMessageWithAnUnknownKeyOrABadPartIsAUsageErrorNamingWhere) {
  struct Case {
    const char* json;
    const char* expected;
  };
  for (
      const Case& c : {
          Case{R"([{"role":"user","content":"hi"},{"role":"user","content":"x","colour":1}])",
               "[1].colour: unknown key"},
          Case{R"([{"role":"user","content":[{"type":"audio","audio":{}}]}])",
               "[0].content[0].type: unknown part type 'audio'"},
          Case{R"([{"role":"user","content":[{"type":"text","text":"a","extra":true}]}])",
               "[0].content[0].extra: unknown key"},
          Case{
              R"([{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x"}}]}])",
              "[0].content[0].image_url.url: expected an http(s) URL"},
          Case{
              R"([{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":7}}]}])",
              "[0].tool_calls[0].function.arguments: expected a string, got a number"},
          Case{R"([{"role":"user","content":42}])",
               "[0].content: expected a string, null or an array"},
      }) {
    const std::string file = dir_.write("bad.json", c.json);
    auto r = run_process(chat(kOpenAi, {"--messages", file}));
    EXPECT_EQ(r.exit_code, 2) << c.json << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "messages " + file + ": " + c.expected)) << r.err;
  }
  const std::string tools =
      dir_.write("tools.json", R"([{"type":"function","function":{"name":"f","strict":true}}])");
  auto r = run_process(chat(kOpenAi, {"--tools", tools, "hi"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "--tools " + tools + ": [0].function.strict: unknown key")) << r.err;
  EXPECT_TRUE(server_.requests().empty());
}

// The reply's tool calls come back as the next turn's assistant message (--events), and that
// message sent again reaches the server as it came.
TEST_F(ToolRoundTripCli, TheAssistantMessageOfAReplyGoesBackUnchanged) {
  mock::Scenario reply;
  reply.content.clear();
  reply.finish_reason = "tool_calls";
  reply.tool_calls.push_back({"call_9", "get_weather", R"({"city":"Bergen"})"});
  server_.push(reply);
  const std::string tools = dir_.write("tools.json", kTools);
  auto r = run_process(chat(kOpenAi, {"--events", "--tools", tools, "Weather in Bergen?"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string message_line;
  for (std::size_t at = 0; at < r.out.size();) {
    std::size_t end = r.out.find('\n', at);
    std::string line = r.out.substr(at, end - at);
    if (contains(line, R"("type":"message")")) message_line = line;
    at = end == std::string::npos ? r.out.size() : end + 1;
  }
  ASSERT_FALSE(message_line.empty()) << r.out;
  json::Document event = json::Document::parse(message_line);
  json::Value message = event.root()["message"];
  EXPECT_EQ(message["role"].str(), "assistant");
  EXPECT_EQ(message["tool_calls"][0]["id"].str(), "call_9");
  EXPECT_EQ(message["tool_calls"][0]["function"]["arguments"].str(), R"({"city":"Bergen"})");

  const std::string messages =
      dir_.write("next.json", R"([{"role":"user","content":"Weather in Bergen?"},)" +
                                  std::string(message.raw()) +
                                  R"(,{"role":"tool","tool_call_id":"call_9","content":"12 C"}])");
  r = run_process(chat(kOpenAi, {"--tools", tools, "--messages", messages}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json::Document doc = last_body();
  json::Value sent = doc.root()["messages"];
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[1]["tool_calls"][0]["id"].str(), "call_9");
  EXPECT_EQ(sent[1]["tool_calls"][0]["function"]["name"].str(), "get_weather");
  EXPECT_EQ(sent[2]["tool_call_id"].str(), "call_9");
}

// Files made for the OpenAI Batch API run with content arrays and tool messages as they are.
TEST_F(ToolRoundTripCli, TheOpenAiBatchFormatTakesContentArraysAndToolMessages) {
  const std::string input = dir_.write(
      "in.jsonl",
      R"({"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"m",)"
      R"("messages":[{"role":"user","content":[{"type":"text","text":"Weather?"}]},)"
      R"({"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",)"
      R"("function":{"name":"get_weather","arguments":"{}"}}]},)"
      R"({"role":"tool","tool_call_id":"call_1","content":"18 C"}],)"
      R"("tools":)" +
          one_line(kTools) + "}}\n");
  const std::string output = dir_.path() + "/out.jsonl";
  auto r = run_process({LLMRT_TEST_CLI, "batch", "--model", "m", "--api-base",
                        server_.base_url() + "/v1", "--key", "k", "--retry", "0", "--input", input,
                        "--output", output});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(output);
  std::string line;
  std::getline(in, line);
  EXPECT_TRUE(contains(line, R"("status_code":200)")) << line;
  json::Document doc = last_body();
  json::Value m = doc.root()["messages"];
  ASSERT_EQ(m.size(), 3u) << server_.last_request().body;
  EXPECT_EQ(m[0]["content"][0]["text"].str(), "Weather?");
  EXPECT_EQ(m[1]["tool_calls"][0]["function"]["name"].str(), "get_weather");
  EXPECT_EQ(m[2]["role"].str(), "tool");
  EXPECT_EQ(m[2]["tool_call_id"].str(), "call_1");
  EXPECT_EQ(doc.root()["tools"][0]["function"]["name"].str(), "get_weather");
}

}  // namespace
}  // namespace llmrt
