#include "llmrt/sdk/json_scanner.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "llmrt/sdk/json.h"

namespace llmrt::json {
namespace {

// Whether the scanner, skipping the root value, accepts `text`.
bool scanner_accepts(std::string_view text, const ParseLimits& limits = {}) {
  Scanner s(text, limits);
  return s.skip() && s.finish();
}

TEST(JsonScanner, ReadsTheMembersAskedForAndSkipsTheRest) {
  Scanner s(R"( {"id":"x","n":[1,{"deep":[true,null]}],"content":"Hi \"you\"\n","k":-12,)"
            R"("x":1.5} )");
  ASSERT_TRUE(s.enter_object());
  std::string_view name;
  std::vector<std::string> seen;
  std::string content;
  std::optional<long long> k;
  std::optional<long long> x;
  while (s.next_member(name)) {
    seen.emplace_back(name);
    if (name == "content") {
      content = std::string(s.string().value_or(""));
    } else if (name == "k") {
      k = s.int64();
    } else if (name == "x") {
      x = s.int64();
    } else {
      ASSERT_TRUE(s.skip());
    }
  }
  EXPECT_TRUE(s.finish());
  EXPECT_EQ(seen, (std::vector<std::string>{"id", "n", "content", "k", "x"}));
  EXPECT_EQ(content, "Hi \"you\"\n");
  EXPECT_EQ(k, -12);
  EXPECT_EQ(x, std::nullopt);  // 1.5 is no integer
}

TEST(JsonScanner, AValueOfAnotherTypeIsSkippedAndReadsAsAbsent) {
  Scanner s(R"(["text",{"a":[1]},12.0,"7"])");
  ASSERT_TRUE(s.enter_array());
  ASSERT_TRUE(s.next_item());
  EXPECT_EQ(s.int64(), std::nullopt);  // a string
  ASSERT_TRUE(s.next_item());
  EXPECT_EQ(s.string(), std::nullopt);  // an object, skipped whole
  ASSERT_TRUE(s.next_item());
  EXPECT_EQ(s.int64(), 12);  // a whole double reads as Value::as_int64 reads it
  ASSERT_TRUE(s.next_item());
  EXPECT_EQ(s.string(), "7");
  EXPECT_FALSE(s.next_item());
  EXPECT_TRUE(s.finish());
}

// Short plain integers are read on a fast path, the rest as Value::as_int64 reads them: both
// give what the tree gives, at the edges of each, alone and inside an array.
TEST(JsonScanner, IntegersReadAsTheTreeReadsThem) {
  for (std::string number :
       {"0", "-0", "7", "-7", "42", "123456789012345678", "-123456789012345678",
        "1234567890123456789", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "99999999999999999999", "1.0", "1.5", "1e2", "1E2", "-1e400", "0.0", "12.50e1"}) {
    for (const std::string& text : {number, "[" + number + "]", "[" + number + ",1]"}) {
      Scanner s(text);
      const bool in_array = text[0] == '[';
      if (in_array) {
        ASSERT_TRUE(s.enter_array() && s.next_item()) << text;
      }
      const std::optional<long long> read = s.int64();
      if (in_array) {
        while (s.next_item()) ASSERT_TRUE(s.skip());
      }
      EXPECT_TRUE(s.finish()) << text;
      const Document doc = Document::parse(text);
      EXPECT_EQ(read, (in_array ? doc.root()[0] : doc.root()).as_int64()) << text;
    }
  }
  for (std::string_view bad : {"01", "-", "-a", "1.", "1e", "00"}) {
    Scanner s(bad);
    s.int64();
    EXPECT_FALSE(s.finish()) << bad;
  }
}

TEST(JsonScanner, NamesAndStringsAreDecodedAsDocumentDecodesThem) {
  Scanner s(R"({"con\u0074ent":"caf\u00e9 \ud83d\ude00 \ud83d!"})");
  ASSERT_TRUE(s.enter_object());
  std::string_view name;
  ASSERT_TRUE(s.next_member(name));
  EXPECT_EQ(name, "content");
  EXPECT_EQ(s.string(), "caf\xC3\xA9 \xF0\x9F\x98\x80 \xEF\xBF\xBD!");  // a lone surrogate: U+FFFD
  EXPECT_FALSE(s.next_member(name));
  EXPECT_TRUE(s.finish());
}

TEST(JsonScanner, RepeatedMembersAreAllHandedOutInOrder) {
  Scanner s(R"({"a":"first","a":"last"})");
  ASSERT_TRUE(s.enter_object());
  std::string_view name;
  std::vector<std::string> values;
  while (s.next_member(name)) values.emplace_back(s.string().value_or(""));
  EXPECT_EQ(values, (std::vector<std::string>{"first", "last"}));
}

// The same texts as Document refuses (json.h), each refused by the scanner too.
TEST(JsonScanner, RefusesWhatDocumentRefuses) {
  for (std::string_view text :
       {"",          " ",           "{",        "[1,]", R"({"a":1,})", R"({"a" 1})", R"({a:1})",
        "[01]",      "[1.]",        "[-]",      "[1e]", "[tru]",       "[nul]",      "[\"a\nb\"]",
        R"(["\x"])", R"(["\u12"])", R"(["abc)", "[1}",  R"({"a":1])",  "{} {}",      "[1] x",
        "NaN",       "'a'",         "[1,,2]",   "[,1]", R"({,"a":1})"}) {
    EXPECT_FALSE(Document::try_parse(text)) << text;
    EXPECT_FALSE(scanner_accepts(text)) << text;
  }
  for (std::string_view text : {"0", "-0.5e+3", R"("")", "[]", "{}", " [ {} , [ ] ] ", "1e400",
                                R"({"a":{"b":[null,false,true]}})"}) {
    EXPECT_TRUE(Document::try_parse(text)) << text;
    EXPECT_TRUE(scanner_accepts(text)) << text;
  }
}

TEST(JsonScanner, RefusesNestingPastTheLimitWithoutRecursing) {
  const std::string at_limit = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(scanner_accepts(at_limit));
  const std::string past = "[" + at_limit + "]";
  EXPECT_FALSE(scanner_accepts(past));
  // Far past any limit, in one text: refused at the limit, not by running out of stack.
  EXPECT_FALSE(scanner_accepts(std::string(1'000'000, '['), {.max_depth = 1'000'000'000}));
  EXPECT_FALSE(scanner_accepts(std::string(1'000'000, '[')));
  EXPECT_FALSE(scanner_accepts("[[1]]", {.max_depth = 1}));
  EXPECT_TRUE(scanner_accepts("[[1]]", {.max_depth = 2}));
}

namespace {

// Objects and arrays alternating `levels` deep, `{"a":[{"a":[…]}]}`, with the closer at
// `wrong_level` (1-based from the outside; 0: none) of the other kind.
std::string alternating_nesting(std::size_t levels, std::size_t wrong_level = 0) {
  std::string text;
  for (std::size_t level = 1; level <= levels; ++level) text += level % 2 == 1 ? "{\"a\":" : "[";
  text += "1";
  for (std::size_t level = levels; level >= 1; --level) {
    const bool object = level % 2 == 1;
    text += (object != (level == wrong_level)) ? "}" : "]";
  }
  return text;
}

}  // namespace

// Each level's kind is kept past the first 64 levels as within them: skipping a text that
// alternates objects and arrays 120 deep asks for a member or an item by the kind of the level it
// is in, and a closer of the wrong kind is refused at any depth.
TEST(JsonScanner, EveryLevelClosesWithItsOwnKind) {
  EXPECT_TRUE(scanner_accepts(alternating_nesting(120)));
  EXPECT_TRUE(Document::try_parse(alternating_nesting(120)));
  for (std::size_t wrong : {1, 2, 63, 64, 65, 66, 100, 120}) {
    EXPECT_FALSE(scanner_accepts(alternating_nesting(120, wrong))) << wrong;
    EXPECT_FALSE(Document::try_parse(alternating_nesting(120, wrong))) << wrong;
  }
  // After a deep text, the next one starts from the top again.
  const std::string deep = alternating_nesting(120);
  Scanner s(deep);
  EXPECT_TRUE(s.skip() && s.finish());
  s.reset(R"({"a":[1]})");
  EXPECT_TRUE(s.skip() && s.finish());
}

TEST(JsonScanner, RefusesATextLongerThanTheLimit) {
  EXPECT_FALSE(scanner_accepts(R"("abcdef")", {.max_bytes = 7}));
  EXPECT_TRUE(scanner_accepts(R"("abcdef")", {.max_bytes = 8}));
}

TEST(JsonScanner, AfterAFailureEveryReadFails) {
  Scanner s(R"({"a":tru,"b":"x"})");
  ASSERT_TRUE(s.enter_object());
  std::string_view name;
  ASSERT_TRUE(s.next_member(name));
  EXPECT_FALSE(s.skip());
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(s.next_member(name));
  EXPECT_EQ(s.peek(), Type::absent);
  EXPECT_EQ(s.string(), std::nullopt);
  EXPECT_FALSE(s.finish());
}

TEST(JsonScanner, ResetReadsAnotherText) {
  Scanner s(R"({"a":)");
  EXPECT_FALSE(s.skip() && s.finish());
  s.reset(R"("again")");
  EXPECT_EQ(s.string(), "again");
  EXPECT_TRUE(s.finish());
}

}  // namespace
}  // namespace llmrt::json
