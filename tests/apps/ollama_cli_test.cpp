// `llmrt` with the ollama plugin against the mock server speaking Ollama's /api/chat, with no
// key given anywhere (no --key, no configuration, and the plugin reads no variable): streamed
// events, a tool round trip, decode of recorded bodies, the demo.
#include <gtest/gtest.h>

#include "llmrt/mock/mock_server.h"
#include "llmrt/sdk/json.h"
#include "support/event_text.h"
#include "support/run_process.h"
#include "support/temp_dir.h"

namespace llmrt {
namespace {

using test::lines_of;
using test::run_process;

class OllamaCli : public ::testing::Test {
 protected:
  std::vector<std::string> chat(std::vector<std::string> extra) const {
    std::vector<std::string> argv{LLMRT_TEST_CLI, "chat",     "--provider", "ollama",
                                  "--model",      "llama3.2", "--api-base", server_.base_url(),
                                  "--retry",      "0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }
  static json::Document json_of(const std::string& text) { return json::Document::parse(text); }

  mock::MockServer server_;
  test::TempDir dir_{"llmrt-ollama"};
};

TEST_F(OllamaCli, StreamedEventsWithNoKeyAnywhere) {
  auto r = run_process(chat({"--stream", "--events", "hi"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = lines_of(r.out);
  const auto pieces = mock::Scenario{}.content_pieces();
  ASSERT_EQ(lines.size(), pieces.size() + 2) << r.out;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    auto e = json_of(lines[i]);
    EXPECT_EQ(e.root()["type"].str(), "delta");
    EXPECT_EQ(e.root()["content"].str(), pieces[i]);
  }
  EXPECT_EQ(json_of(lines[pieces.size()]).root()["type"].str(), "usage");
  auto end = json_of(lines.back());
  EXPECT_EQ(end.root()["finish_reason"].str(), "stop");
  EXPECT_EQ(end.root()["content"].str(), mock::Scenario{}.full_content());
  const mock::RecordedRequest req = server_.last_request();
  EXPECT_EQ(req.uri, "/api/chat");
  EXPECT_EQ(find_header(req.headers, "Authorization"), nullptr);
}

// ENV names the provider's key variable, and Ollama has none: a usage error saying so.
TEST_F(OllamaCli, KeyEnvSaysTheProviderNeedsNone) {
  auto r = run_process(chat({"--key", "ENV", "hi"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("the provider has none (it needs no key)"), std::string::npos) << r.err;
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(OllamaCli, ToolRoundTrip) {
  const std::string tools = dir_.write("tools.json", R"([{"type": "function", "function": {
      "name": "get_weather", "parameters": {"type": "object",
      "properties": {"city": {"type": "string"}}}}}])");
  mock::Scenario call;
  call.content = "";
  call.tool_calls = {{"", "get_weather", R"({"city":"Oslo"})"}};
  server_.push(call);
  auto first = run_process(chat({"--tools", tools, "--stream", "--events", "Weather in Oslo?"}));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::string assistant;
  bool called = false;
  for (const std::string& line : lines_of(first.out)) {
    auto e = json_of(line);
    if (e.root()["type"].str() == "message") assistant = e.root()["message"].raw();
    if (e.root()["type"].str() == "tool_call") {
      called = true;
      EXPECT_EQ(e.root()["id"].str(), "call_0");
      EXPECT_EQ(e.root()["arguments"].str(), R"({"city":"Oslo"})");
    }
    if (e.root()["type"].str() == "end") {
      EXPECT_EQ(e.root()["finish_reason"].str(), "tool_calls");
    }
  }
  ASSERT_TRUE(called) << first.out;
  ASSERT_FALSE(assistant.empty()) << first.out;

  const std::string next =
      dir_.write("next.json",
                 R"([{"role": "user", "content": "Weather in Oslo?"}, )" + assistant +
                     R"(, {"role": "tool", "tool_call_id": "call_0", "content": "18 C, sunny"}])");
  mock::Scenario answer;
  answer.content = "18 C and sunny.";
  server_.push(answer);
  auto second = run_process(chat({"--tools", tools, "--messages", next, "--stream", "--events"}));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  auto end = json_of(lines_of(second.out).back());
  EXPECT_EQ(end.root()["content"].str(), "18 C and sunny.");
  auto body = json_of(server_.last_request().body);
  const json::Value messages = body.root()["messages"];
  EXPECT_EQ(messages[1]["tool_calls"][0]["function"]["arguments"]["city"].str(), "Oslo");
  EXPECT_EQ(messages[2]["role"].str(), "tool");
  EXPECT_EQ(messages[2]["tool_name"].str(), "get_weather");
}

// A recorded whole reply (pretty-printed, as docs/api.md shows it) and a recorded stream.
TEST_F(OllamaCli, DecodeRecordedBodies) {
  auto whole = run_process({LLMRT_TEST_CLI, "decode", "--provider", "ollama"},
                           test::read_data("ollama/docs_tools_whole.body"));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_NE(whole.out.find(R"("name":"get_current_weather")"), std::string::npos) << whole.out;
  auto streamed = run_process({LLMRT_TEST_CLI, "decode", "--provider", "ollama"},
                              test::read_data("ollama/stream_error.ndjson"));
  EXPECT_EQ(streamed.exit_code, 1);
  auto error = json_of(lines_of(streamed.out).back());
  EXPECT_EQ(error.root()["kind"].str(), "server");
  EXPECT_EQ(error.root()["partial_content"].str(), "Partial");
}

}  // namespace
}  // namespace llmrt
