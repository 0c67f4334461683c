// The one reader of OpenAI-format messages (CLI, batch lines) and its writer.
#include "llmrt/core/messages_json.h"

#include <gtest/gtest.h>

#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

std::vector<Message> parse(std::string_view text) { return parse_messages_json(text, "m.json"); }

std::string messages_error(std::string_view text) {
  try {
    parse(text);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    return e.what();
  }
  ADD_FAILURE() << "accepted: " << text;
  return {};
}

std::string written(const Message& m) {
  json::JsonWriter w;
  write_message_json(w, m);
  return w.take();
}

TEST(MessagesJson, ReadsEveryKeyOfTheFormat) {
  auto m = parse(R"([
    {"role": "developer", "content": "Be brief.", "name": "ops"},
    {"role": "user", "content": [{"type": "text", "text": "What is it?"},
      {"type": "image_url", "image_url": {"url": "https://x.test/a.png", "detail": "high"}},
      {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/4AAQ"}}]},
    {"role": "assistant", "content": null, "reasoning": [{"text": "t", "signature": "s"},
                                                         {"redacted": "r"}],
     "tool_calls": [{"id": "a", "type": "function", "function": {"name": "f", "arguments": "{}"}},
                    {"id": "b", "function": {"name": "g", "arguments": {"x": [1, 2]}}}]},
    {"role": "tool", "tool_call_id": "a", "content": "done"},
    {"role": "my_role"}
  ])");
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(m[0].role, "developer");
  EXPECT_EQ(m[0].content, "Be brief.");
  EXPECT_EQ(m[0].name, "ops");

  ASSERT_EQ(m[1].parts.size(), 3u);
  EXPECT_TRUE(m[1].content.empty());
  EXPECT_EQ(std::get<TextPart>(m[1].parts[0]).text, "What is it?");
  const auto& url = std::get<ImagePart>(m[1].parts[1]);
  EXPECT_EQ(url.url, "https://x.test/a.png");
  EXPECT_EQ(url.detail, "high");
  EXPECT_TRUE(url.data.empty());
  const auto& inline_image = std::get<ImagePart>(m[1].parts[2]);
  EXPECT_TRUE(inline_image.url.empty());
  EXPECT_EQ(inline_image.media_type, "image/jpeg");
  EXPECT_EQ(inline_image.data, "/9j/4AAQ");

  EXPECT_TRUE(m[2].content.empty());
  ASSERT_EQ(m[2].tool_calls.size(), 2u);
  EXPECT_EQ(m[2].tool_calls[0].id, "a");
  EXPECT_EQ(m[2].tool_calls[0].index, 0);
  EXPECT_EQ(m[2].tool_calls[0].name, "f");
  EXPECT_EQ(m[2].tool_calls[0].arguments, "{}");
  EXPECT_EQ(m[2].tool_calls[1].index, 1);
  EXPECT_EQ(m[2].tool_calls[1].type, "function");
  EXPECT_EQ(m[2].tool_calls[1].arguments, R"({"x": [1, 2]})");  // an object: its JSON text
  ASSERT_EQ(m[2].reasoning.size(), 2u);
  EXPECT_EQ(m[2].reasoning[0].signature, "s");
  EXPECT_EQ(m[2].reasoning[1].redacted, "r");

  EXPECT_EQ(m[3].tool_call_id, "a");
  EXPECT_EQ(m[3].content, "done");
  EXPECT_EQ(m[4].role, "my_role");  // any role: the meta template decides
}

TEST(MessagesJson, RefusesWhatItWouldOtherwiseDropNamingMessageAndKey) {
  struct Case {
    const char* json;
    const char* expected;
  };
  for (
      const Case& c : {
          Case{R"({"role":"user"})", "m.json: expected a JSON array of messages"},
          Case{"[]", "m.json: the array has no messages"},
          Case{R"([1])",
               "m.json: [0]: expected a message object with role and content, got a number"},
          Case{R"([{"content":"x"}])", "m.json: [0].role: missing"},
          Case{R"([{"role":""}])", "m.json: [0].role: empty"},
          Case{R"([{"role":7}])", "m.json: [0].role: expected a string, got a number"},
          Case{R"([{"role":"user","function_call":{}}])", "m.json: [0].function_call: unknown key"},
          Case{R"([{"role":"user","content":{"text":"x"}}])",
               "m.json: [0].content: expected a string, null or an array of content parts"},
          Case{R"([{"role":"user","content":["x"]}])",
               "m.json: [0].content[0]: expected a content part object"},
          Case{R"([{"role":"user","content":[{"text":"x"}]}])",
               "m.json: [0].content[0].type: missing"},
          Case{R"([{"role":"user","content":[{"type":"input_audio"}]}])",
               "m.json: [0].content[0].type: unknown part type 'input_audio' (known: text, "
               "image_url)"},
          Case{R"([{"role":"user","content":[{"type":"text"}]}])",
               "m.json: [0].content[0].text: missing"},
          Case{R"([{"role":"user","content":[{"type":"image_url","image_url":"https://x"}]}])",
               "m.json: [0].content[0].image_url: expected an object with url, got a string"},
          Case{
              R"([{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png,abc"}}]}])",
              "m.json: [0].content[0].image_url.url: a data URL must be data:<media "
              "type>;base64,<data>"},
          Case{R"([{"role":"user","content":[{"type":"image_url","image_url":{"url":"x.png"}}]}])",
               "m.json: [0].content[0].image_url.url: expected an http(s) URL"},
          Case{
              R"([{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x","size":1}}]}])",
              "m.json: [0].content[0].image_url.size: unknown key"},
          Case{R"([{"role":"assistant","tool_calls":{}}])",
               "m.json: [0].tool_calls: expected an array of tool calls, got an object"},
          Case{
              R"([{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":""}}]}])",
              "m.json: [0].tool_calls[0].id: missing"},
          Case{
              R"([{"role":"assistant","tool_calls":[{"id":"a","type":"custom","function":{"name":"f","arguments":""}}]}])",
              "m.json: [0].tool_calls[0].type: expected \"function\", got 'custom'"},
          Case{R"([{"role":"assistant","tool_calls":[{"id":"a","function":{"arguments":""}}]}])",
               "m.json: [0].tool_calls[0].function.name: missing"},
          Case{R"([{"role":"assistant","tool_calls":[{"id":"a","function":{"name":"f"}}]}])",
               "m.json: [0].tool_calls[0].function.arguments: missing"},
          Case{
              R"([{"role":"assistant","tool_calls":[{"id":"a","function":{"name":"f","arguments":[1]}}]}])",
              "m.json: [0].tool_calls[0].function.arguments: expected a string, got an array"},
          Case{R"([{"role":"tool","tool_call_id":5}])",
               "m.json: [0].tool_call_id: expected a string"},
          Case{R"([{"role":"assistant","reasoning":[{"thinking":"x"}]}])",
               "m.json: [0].reasoning[0].thinking: unknown key"},
          Case{"[{\"role\":\"user\",\"content\":\"a\xC3(\"}]",
               "m.json: [0].content: invalid UTF-8 at byte 1"},
      }) {
    std::string error = messages_error(c.json);
    EXPECT_NE(error.find(c.expected), std::string::npos) << c.json << "\n  -> " << error;
  }
}

TEST(MessagesJson, SyntaxErrorsAreGivenByLineAndColumn) {
  EXPECT_NE(messages_error("[\n  {\"role\": }\n]").find("m.json: line 2, column 12: invalid JSON"),
            std::string::npos)
      << messages_error("[\n  {\"role\": }\n]");
  std::string deep = "[\n" + std::string(200, '[');
  EXPECT_NE(
      messages_error(deep).find("m.json: line 2, column 128: JSON nested deeper than 128 levels"),
      std::string::npos)
      << messages_error(deep);
}

TEST(MessagesJson, WhatIsWrittenReadsBackTheSame) {
  Message m{.role = "assistant",
            .content = "",
            .tool_calls = {{.index = 0, .id = "c1", .name = "f", .arguments = R"({"a":1})"}},
            .reasoning = {{.text = "t", .signature = "s"}}};
  EXPECT_EQ(written(m),
            R"({"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",)"
            R"("function":{"name":"f","arguments":"{\"a\":1}"}}],"reasoning":[{"text":"t",)"
            R"("signature":"s"}]})");
  Message user{.role = "user",
               .content = "look",
               .parts = {ImagePart{.media_type = "image/png", .data = "AAAA"},
                         ImagePart{.url = "https://x.test/i.png", .detail = "low"}},
               .name = "u"};
  Message tool{.role = "tool", .content = "18 C", .tool_call_id = "c1"};
  std::string array = "[" + written(m) + "," + written(user) + "," + written(tool) + "]";
  auto back = parse(array);
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[0].tool_calls[0].arguments, R"({"a":1})");
  EXPECT_EQ(back[0].reasoning[0].signature, "s");
  // The text before the parts comes back as a text part: the same content, one shape.
  ASSERT_EQ(back[1].parts.size(), 3u);
  EXPECT_EQ(std::get<TextPart>(back[1].parts[0]).text, "look");
  EXPECT_EQ(std::get<ImagePart>(back[1].parts[1]).data, "AAAA");
  EXPECT_EQ(std::get<ImagePart>(back[1].parts[1]).media_type, "image/png");
  EXPECT_EQ(std::get<ImagePart>(back[1].parts[2]).detail, "low");
  EXPECT_EQ(back[1].name, "u");
  EXPECT_EQ(back[2].tool_call_id, "c1");
  EXPECT_EQ(back[2].content, "18 C");
}

}  // namespace
}  // namespace llmrt::core
