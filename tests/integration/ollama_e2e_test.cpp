// The ollama plugin end to end: loaded from its shared library, real HTTP to the mock server
// speaking Ollama's /api/chat (NDJSON), with no key configured anywhere.
#include "support/e2e_fixture.h"

namespace llmrt {
namespace {

class OllamaEndToEnd : public test::EndToEnd {
 protected:
  core::ModelConfig ollama_config() const {
    core::ModelConfig c = config();
    c.provider = "ollama";
    c.model = "llama3.2";
    c.api_base = server_.base_url();  // Ollama's API lives at the server's root
    c.keys = {};                      // a local server takes none
    return c;
  }
  core::ChatModel ollama() const { return runtime_.model(ollama_config()); }
  static std::string drain(core::ChatStream& stream) {
    std::string text;
    for (const auto& chunk : stream) text += chunk.delta;
    return text;
  }
  ErrorKind kind_of_failure(mock::Scenario s) {
    server_.push(std::move(s));
    try {
      ollama().chat(hello_);
    } catch (const Error& e) {
      return e.kind();
    }
    ADD_FAILURE() << "expected an error";
    return ErrorKind::cancelled;
  }
  const std::string full_ = mock::Scenario{}.full_content();
};

TEST_F(OllamaEndToEnd, StreamedWithoutAnyKey) {
  core::ChatStream stream = ollama().stream_chat(hello_);
  EXPECT_EQ(drain(stream), full_);
  EXPECT_EQ(finish_reason_name(stream.result()), "stop");
  ASSERT_TRUE(stream.result().usage);
  EXPECT_EQ(stream.result().usage->completion_tokens,
            static_cast<long long>(mock::Scenario{}.content_pieces().size()));
  mock::RecordedRequest req = server_.last_request();
  EXPECT_EQ(req.uri, "/api/chat");
  EXPECT_EQ(find_header(req.headers, "Authorization"), nullptr);
  EXPECT_EQ(*find_header(req.headers, "Accept"), "application/x-ndjson");
  EXPECT_TRUE(json(req.body)["stream"].GetBool());
}

TEST_F(OllamaEndToEnd, WholeReplySaysStreamFalse) {
  mock::Scenario s;
  s.reasoning = "Short thought.";
  server_.push(s);
  ChatResult result = ollama().chat(hello_);
  EXPECT_EQ(result.content, full_);
  EXPECT_EQ(result.reasoning, "Short thought.");
  EXPECT_FALSE(json(server_.last_request().body)["stream"].GetBool());
}

// call → result → final answer: Ollama's calls come without ids, its arguments as an object, and
// a tool's result goes back naming the tool.
TEST_F(OllamaEndToEnd, ToolRoundTrip) {
  mock::Scenario call;
  call.reasoning = "Needs the weather.";
  call.content = "Checking.";
  call.tool_calls = {{"ignored", "get_weather", R"({"city":"Oslo"})"}};
  server_.push(call);
  core::ParamOverrides tools;
  tools.set_json(
      "tools",
      R"([{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}])");
  core::ChatModel model = ollama();
  std::vector<Message> turn = {{.role = "user", .content = "Weather in Oslo?"}};
  core::ChatStream first = model.stream_chat(turn, tools);
  EXPECT_EQ(drain(first), "Checking.");
  const ChatResult& asked = first.result();
  EXPECT_EQ(finish_reason_name(asked), "tool_calls");
  ASSERT_EQ(asked.tool_calls.size(), 1u);
  EXPECT_EQ(asked.tool_calls[0].id, "call_0");
  EXPECT_EQ(asked.tool_calls[0].arguments, R"({"city":"Oslo"})");
  auto sent = json(server_.last_request().body);
  EXPECT_STREQ(sent["tools"][0]["function"]["name"].GetString(), "get_weather");

  turn.push_back(assistant_message(asked));
  turn.push_back(
      {.role = "tool", .content = "18 C, sunny", .tool_call_id = asked.tool_calls[0].id});
  mock::Scenario answer;
  answer.content = "It is 18 C and sunny in Oslo.";
  server_.push(answer);
  EXPECT_EQ(model.chat(turn, tools).content, "It is 18 C and sunny in Oslo.");
  auto second = json(server_.last_request().body);
  const auto& messages = second["messages"];
  ASSERT_EQ(messages.Size(), 3u);
  EXPECT_STREQ(messages[1]["thinking"].GetString(), "Needs the weather.");
  const auto& function = messages[1]["tool_calls"][0]["function"];
  EXPECT_STREQ(function["name"].GetString(), "get_weather");
  ASSERT_TRUE(function["arguments"].IsObject());
  EXPECT_STREQ(function["arguments"]["city"].GetString(), "Oslo");
  EXPECT_STREQ(messages[2]["role"].GetString(), "tool");
  EXPECT_STREQ(messages[2]["tool_name"].GetString(), "get_weather");
  EXPECT_STREQ(messages[2]["content"].GetString(), "18 C, sunny");
}

TEST_F(OllamaEndToEnd, ErrorStatusesMapToTheirKinds) {
  mock::Scenario missing;
  missing.status = 404;
  server_.push(missing);
  try {
    ollama().chat(hello_);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::not_found);
    EXPECT_EQ(e.info().message, "model 'llama3.2' not found");
  }
  for (auto [status, kind] : std::vector<std::pair<int, ErrorKind>>{{400, ErrorKind::bad_request},
                                                                    {401, ErrorKind::auth},
                                                                    {429, ErrorKind::rate_limited},
                                                                    {500, ErrorKind::server}}) {
    mock::Scenario s;
    s.status = status;
    EXPECT_EQ(kind_of_failure(s), kind) << status;
  }
}

TEST_F(OllamaEndToEnd, AnErrorLineMidStreamKeepsThePartialText) {
  mock::Scenario s;
  s.chunks = 2;
  s.stream_error = R"("an error was encountered while running the model: unexpected EOF")";
  server_.push(s);
  core::ChatStream stream = ollama().stream_chat(hello_);
  try {
    drain(stream);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::server) << e.what();
    EXPECT_EQ(e.partial_content(), "Hello! This ");
    EXPECT_NE(std::string(e.what()).find("unexpected EOF"), std::string::npos) << e.what();
  }
}

// An error object as a 200 body (a stream request the server answered whole).
TEST_F(OllamaEndToEnd, AnErrorObjectUnderA200) {
  mock::Scenario s;
  s.ignore_stream = true;
  s.stream_error = R"("model 'llama3.2' not found")";
  EXPECT_EQ(kind_of_failure(s), ErrorKind::not_found);
}

// The per-request "mock" object steers the server through an extra parameter, as a peer
// client's extra body would; every stop reason comes back with Ollama's own word.
TEST_F(OllamaEndToEnd, DoneReasonsThroughTheMockObject) {
  for (auto [raw, name] : std::vector<std::pair<std::string, std::string>>{
           {"length", "length"}, {"stop", "stop"}, {"unload", "other"}}) {
    core::ParamOverrides o;
    o.set_json("mock", R"({"finish_reason":")" + raw + R"("})");
    core::ChatStream stream = ollama().stream_chat(hello_, o);
    drain(stream);
    EXPECT_EQ(finish_reason_name(stream.result()), name);
    EXPECT_EQ(stream.result().finish_reason_raw, raw);
  }
}

}  // namespace
}  // namespace llmrt
