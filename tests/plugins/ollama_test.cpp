// The ollama plugin as the registry loads it: the request it renders for Ollama's /api/chat, what
// it refuses, and what it makes of hostile bytes. Recorded replies are in tests/data/ollama.
#include <gtest/gtest.h>

#include "llmrt/sdk/json.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

std::shared_ptr<const Provider> ollama() { return test::load_plugin("ollama"); }

ChatRequest ask(std::vector<Message> messages = {{.role = "user", .content = "hi"}}) {
  return ChatRequest{.model = "llama3.2", .messages = std::move(messages)};
}

std::string error_of(const ChatRequest& request) {
  try {
    ollama()->build_request(request, {});
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "expected an error";
  return {};
}

TEST(Ollama, NeedsNoKeyAndSendsOneOnlyWhenGiven) {
  const ProviderInfo info = ollama()->info();
  EXPECT_EQ(info.key_env_var, "");
  EXPECT_EQ(info.default_api_base, "http://127.0.0.1:11434");
  HttpRequest keyless = ollama()->build_request(ask(), {});
  EXPECT_EQ(keyless.url, "http://127.0.0.1:11434/api/chat");
  EXPECT_EQ(find_header(keyless.headers, "Authorization"), nullptr);
  HttpRequest proxied = ollama()->build_request(ask(), {.api_key = "proxy-key"});
  ASSERT_NE(find_header(proxied.headers, "Authorization"), nullptr);
  EXPECT_EQ(*find_header(proxied.headers, "Authorization"), "Bearer proxy-key");
}

// Ollama streams when "stream" is missing: a whole reply must say false.
TEST(Ollama, AlwaysSaysWhetherToStream) {
  for (bool stream : {false, true}) {
    ChatRequest r = ask();
    r.stream = stream;
    auto doc = json::Document::parse(ollama()->build_request(r, {}).body);
    EXPECT_EQ(doc.root()["stream"].as_bool(), stream);
    EXPECT_FALSE(doc.root()["options"].exists());  // nothing set, nothing sent
  }
}

TEST(Ollama, ImagesByUrlAreRefusedNamingWhy) {
  Message m{.role = "user", .content = "what is this?"};
  m.parts.emplace_back(ImagePart{.url = "https://example.com/cat.png"});
  const std::string why = error_of(ask({m}));
  EXPECT_NE(why.find("https://example.com/cat.png"), std::string::npos) << why;
  EXPECT_NE(why.find("inline as base64"), std::string::npos) << why;
  Message inline_image{.role = "user"};
  inline_image.parts.emplace_back(ImagePart{.media_type = "image/png", .data = "iVBORw0="});
  auto doc = json::Document::parse(ollama()->build_request(ask({inline_image}), {}).body);
  EXPECT_EQ(doc.root()["messages"][0]["images"][0].str(), "iVBORw0=");
}

TEST(Ollama, WhatTheApiCannotTakeIsRefused) {
  ChatRequest forced = ask();
  forced.params.tools = {{.name = "get_weather"}};
  forced.params.tool_choice = ToolChoice{.mode = ToolChoiceMode::required};
  EXPECT_NE(error_of(forced).find("no tool_choice"), std::string::npos);

  Message bad{.role = "assistant"};
  bad.tool_calls = {{.id = "call_0", .name = "f", .arguments = "[1,2]"}};
  EXPECT_NE(error_of(ask({bad})).find("not a JSON object"), std::string::npos);

  ChatRequest reserved = ask();
  reserved.params.extras["stream"] = "true";
  EXPECT_NE(error_of(reserved).find("stream is set by llmrt"), std::string::npos);
}

// tool_choice none keeps the tools out of the body: Ollama has no other way to say it.
TEST(Ollama, ToolChoiceNoneSendsNoTools) {
  ChatRequest r = ask();
  r.params.tools = {{.name = "get_weather"}};
  r.params.tool_choice = ToolChoice{.mode = ToolChoiceMode::none};
  EXPECT_FALSE(json::Document::parse(ollama()->build_request(r, {}).body).root()["tools"].exists());
}

// Hostile bytes end in a protocol error naming the line; nothing crashes or hangs.
TEST(Ollama, HostileStreamsAreProtocolErrors) {
  ChatRequest streamed = ask();
  streamed.stream = true;
  const std::string deep = std::string(100000, '[') + "\n";
  const std::string huge = "{\"message\":{\"content\":\"" + std::string(2 << 20, 'x') + "\"}}\n";
  for (const std::string& body :
       {deep, huge, std::string("{\"done\":\"yes\"}\n"),
        std::string("{\"message\":{\"tool_calls\":[{\"function\":7}]}}\n"),
        std::string("data: {\"choices\": [tru\n")}) {
    try {
      test::decode_reads(*ollama(), streamed, {body}, DecoderLimits{.max_event_bytes = 1 << 20});
      ADD_FAILURE() << "expected an error for " << body.substr(0, 40);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
      EXPECT_NE(std::string(e.what()).find("line 1"), std::string::npos) << e.what();
    }
  }
}

// A 2xx body that is no reply at all (a proxy's page) is a protocol error quoting it.
TEST(Ollama, AWholeReplyWithoutDoneIsAProtocolError) {
  try {
    ollama()->parse_response({.status = 200, .body = R"({"status":"ok"})"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::protocol);
    EXPECT_NE(std::string(e.what()).find(R"("done": true)"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace llmrt
