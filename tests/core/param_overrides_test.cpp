#include <gtest/gtest.h>

#include "llmrt/core/param_overrides.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

TEST(ParamOverrides, NothingIsSetByDefault) {
  GenParams p;
  EXPECT_FALSE(p.max_new_tokens);
  EXPECT_FALSE(p.top_p);
  EXPECT_FALSE(p.temperature);
  EXPECT_FALSE(p.repetition_penalty);
  EXPECT_TRUE(p.stop_words.empty());
}

TEST(ParamOverrides, KnownKeysAreTypedAndUnknownKeysPassThrough) {
  ParamOverrides o;
  o.set("max_new_tokens", 64)
      .set("temperature", 0.1)
      .set("stop_words", std::vector<std::string>{"\n\n"});
  o.set_json("user_tag", R"({"team":"a"})");
  GenParams p = o.apply(GenParams{.top_p = 0.8});
  EXPECT_EQ(p.max_new_tokens, 64);
  EXPECT_DOUBLE_EQ(*p.temperature, 0.1);
  EXPECT_EQ(p.stop_words, std::vector<std::string>{"\n\n"});
  EXPECT_EQ(p.extras.at("user_tag"), R"({"team":"a"})");
  EXPECT_DOUBLE_EQ(*p.top_p, 0.8);  // untouched
}

// tools and tool_choice are llmrt's own (OpenAI's shape), rendered by each plugin: never extras.
TEST(ParamOverrides, ToolsAndToolChoiceLandInGenParams) {
  ParamOverrides o;
  o.set_json("tools", R"([{"type":"function","function":{"name":"get_weather",
      "description":"Weather","parameters":{"type":"object","properties":{}}}},
      {"type":"function","function":{"name":"noop"}}])");
  o.set_json("tool_choice", R"({"type":"function","function":{"name":"noop"}})");
  GenParams p = o.apply({});
  EXPECT_TRUE(p.extras.empty());
  ASSERT_EQ(p.tools.size(), 2u);
  EXPECT_EQ(p.tools[0].name, "get_weather");
  EXPECT_EQ(p.tools[0].description, "Weather");
  EXPECT_EQ(p.tools[0].parameters_json, R"({"type":"object","properties":{}})");
  EXPECT_EQ(p.tools[1].name, "noop");
  EXPECT_TRUE(p.tools[1].parameters_json.empty());
  ASSERT_TRUE(p.tool_choice);
  EXPECT_EQ(p.tool_choice->mode, ToolChoiceMode::function);
  EXPECT_EQ(p.tool_choice->name, "noop");

  for (auto [text, mode] :
       {std::pair{"auto", ToolChoiceMode::automatic}, std::pair{"none", ToolChoiceMode::none},
        std::pair{"required", ToolChoiceMode::required}}) {
    GenParams q = ParamOverrides().set("tool_choice", text).apply({});
    ASSERT_TRUE(q.tool_choice) << text;
    EXPECT_EQ(q.tool_choice->mode, mode) << text;
  }
  // null unsets both.
  GenParams unset =
      ParamOverrides().set_json("tools", "null").set_json("tool_choice", "null").apply(p);
  EXPECT_TRUE(unset.tools.empty());
  EXPECT_FALSE(unset.tool_choice);
}

TEST(ParamOverrides, BadToolsAreRefusedNamingThePosition) {
  struct Case {
    const char* key;
    const char* json;
    const char* expected;
  };
  for (
      const Case& c : {
          Case{"tools", R"({"type":"function"})", "parameter 'tools': expected an array of tools"},
          Case{"tools", R"([{"type":"function","function":{"name":"a"}},{"type":"web"}])",
               "parameter 'tools': [1].type: only \"function\" tools are supported"},
          Case{"tools", R"([{"type":"function","function":{}}])",
               "parameter 'tools': [0].function.name: missing"},
          Case{"tools", R"([{"type":"function","function":{"name":"a","parameters":"{}"}}])",
               "parameter 'tools': [0].function.parameters: expected a JSON Schema object"},
          Case{"tools", R"([{"type":"function","function":{"name":"a","strict":true}}])",
               "parameter 'tools': [0].function.strict: unknown key"},
          Case{
              "tools",
              R"([{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"a"}}])",
              "parameter 'tools': [1].function.name: 'a' is defined twice"},
          Case{"tool_choice", R"("any")", "parameter 'tool_choice': expected \"auto\""},
          Case{"tool_choice", R"({"type":"function"})",
               "parameter 'tool_choice': function: missing"},
          Case{"tool_choice", "3", "parameter 'tool_choice': expected \"auto\""},
      }) {
    try {
      ParamOverrides().set_json(c.key, c.json).apply({});
      ADD_FAILURE() << c.json;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::bad_request);
      EXPECT_NE(std::string(e.what()).find(c.expected), std::string::npos) << e.what();
    }
  }
}

TEST(ParamOverrides, CommandLineValueIsJsonWhenValidElseString) {
  auto o = ParamOverrides::parse_assignments(
      {"top_k=40", "stop_words=[\"a\",\"b\"]", "user=alice", "json_mode=true", "flag=\"x\""});
  EXPECT_EQ(o.values().at("top_k"), "40");
  EXPECT_EQ(o.values().at("user"), "\"alice\"");
  EXPECT_EQ(o.values().at("flag"), "\"x\"");
  GenParams p = o.apply(GenParams{});
  EXPECT_EQ(p.top_k, 40);
  EXPECT_EQ(p.stop_words, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(p.json_mode);
  EXPECT_EQ(p.extras.at("user"), "\"alice\"");
}

TEST(ParamOverrides, SingleStopWordStringIsAccepted) {
  GenParams p = ParamOverrides().set("stop_words", "END").apply(GenParams{});
  EXPECT_EQ(p.stop_words, std::vector<std::string>{"END"});
}

// A value is parsed in small buffers on the stack; one far larger (and deeper) than they are
// still reads whole, every time the overrides are applied.
TEST(ParamOverrides, ValuesLargerThanTheParseBuffersApplyWhole) {
  std::vector<std::string> words;
  for (int i = 0; i < 300; ++i) words.push_back("stop word number " + std::to_string(i));
  ParamOverrides o;
  o.set("stop_words", words).set("max_new_tokens", 7);
  for (int round = 0; round < 3; ++round) {
    GenParams p = o.apply(GenParams{});
    EXPECT_EQ(p.stop_words, words);
    EXPECT_EQ(p.max_new_tokens, 7);
  }
  // Deep enough to outgrow the parse stack's buffer: parsed, then refused for its type.
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  try {
    ParamOverrides().set_json("stop_words", deep).apply(GenParams{});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("stop_words"), std::string::npos) << e.what();
  }
}

TEST(ParamOverrides, WrongTypeErrorNamesKeyExpectationAndValue) {
  try {
    ParamOverrides::parse_assignments({"max_new_tokens=lots"}).apply(GenParams{});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("max_new_tokens"), std::string::npos) << what;
    EXPECT_NE(what.find("integer"), std::string::npos) << what;
    EXPECT_NE(what.find("\"lots\""), std::string::npos) << what;
  }
  EXPECT_THROW(ParamOverrides().set("top_p", 1.5).apply(GenParams{}), Error);
  EXPECT_THROW(ParamOverrides().set("json_mode", "yes").apply(GenParams{}), Error);
}

TEST(ParamOverrides, AssignmentWithoutKeyOrEqualsIsAnError) {
  EXPECT_THROW(ParamOverrides::parse_assignments({"novalue"}), Error);
  EXPECT_THROW(ParamOverrides::parse_assignments({"=1"}), Error);
  EXPECT_THROW(ParamOverrides().set_json("x", "{bad"), Error);
}

TEST(ParamOverrides, NestingBeyondTheLimitIsAnErrorNotAString) {
  try {
    ParamOverrides::parse_assignments({"x=" + std::string(300000, '[')});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    EXPECT_EQ(std::string(e.what()),
              "bad_request: parameter 'x' is JSON nested deeper than 128 levels (at byte 128)");
  }
  EXPECT_THROW(ParamOverrides().set_json("x", std::string(300000, '{')), Error);
  std::string deepest = std::string(128, '[') + std::string(128, ']');
  EXPECT_EQ(ParamOverrides::parse_assignments({"x=" + deepest}).apply(GenParams{}).extras.at("x"),
            deepest);
}

}  // namespace
}  // namespace llmrt::core
