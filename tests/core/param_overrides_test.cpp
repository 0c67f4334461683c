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
  o.set_json("tools", R"([{"type":"function"}])");
  GenParams p = o.apply(GenParams{.top_p = 0.8});
  EXPECT_EQ(p.max_new_tokens, 64);
  EXPECT_DOUBLE_EQ(*p.temperature, 0.1);
  EXPECT_EQ(p.stop_words, std::vector<std::string>{"\n\n"});
  EXPECT_EQ(p.extras.at("tools"), R"([{"type":"function"}])");
  EXPECT_DOUBLE_EQ(*p.top_p, 0.8);  // untouched
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
