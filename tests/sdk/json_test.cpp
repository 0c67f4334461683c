#include "llmrt/sdk/json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "llmrt/sdk/error.h"

namespace llmrt::json {
namespace {

// The message of the error `text` fails with; empty when it parses.
std::string parse_error(std::string_view text, const ParseLimits& limits = {}) {
  std::string error;
  if (Document::try_parse(text, &error, limits)) return {};
  EXPECT_FALSE(error.empty());
  return error;
}

TEST(JsonDocument, ReadsAChatCompletion) {
  Document doc = Document::parse(R"({"id":"x","choices":[{"index":0,"message":)"
                                 R"({"role":"assistant","content":"Hi"},"finish_reason":"stop"}],)"
                                 R"("usage":{"prompt_tokens":9,"completion_tokens":2}})");
  Value root = doc.root();
  EXPECT_TRUE(root.is_object());
  EXPECT_EQ(root.size(), 3u);
  EXPECT_EQ(root["choices"][0]["message"]["content"].str(), "Hi");
  EXPECT_EQ(root["choices"][0]["finish_reason"].as_string(), "stop");
  EXPECT_EQ(root["usage"]["prompt_tokens"].as_count(), 9);
  EXPECT_EQ(root["choices"].size(), 1u);
}

TEST(JsonDocument, MissingAndMistypedReadsAreAbsentAllTheWayDown) {
  Document doc = Document::parse(R"({"a":1,"s":"x","n":null,"arr":[true]})");
  Value root = doc.root();
  EXPECT_FALSE(root["missing"].exists());
  EXPECT_FALSE(root["missing"]["deeper"][3].exists());
  EXPECT_FALSE(root["a"]["x"].exists());    // a number has no members
  EXPECT_FALSE(root[0].exists());           // an object has no items
  EXPECT_FALSE(root["arr"][1].exists());    // past the end
  EXPECT_FALSE(root["arr"]["0"].exists());  // an array has no members
  EXPECT_EQ(root["a"].str("fallback"), "fallback");
  EXPECT_EQ(root["s"].as_int64(), std::nullopt);
  EXPECT_EQ(root["missing"].as_bool(), std::nullopt);
  EXPECT_TRUE(root["n"].exists());
  EXPECT_TRUE(root["n"].is_null());
  EXPECT_EQ(root["arr"][0].as_bool(), true);
  EXPECT_EQ(Value().type(), Type::absent);
  EXPECT_EQ(Value().raw(), "");
  EXPECT_EQ(root["missing"].size(), 0u);
  EXPECT_TRUE(root["missing"].items().empty());
}

TEST(JsonDocument, TopLevelScalarsAndEmptyContainers) {
  EXPECT_EQ(Document::parse("  42 ").root().as_int64(), 42);
  EXPECT_EQ(Document::parse("\"x\"").root().str(), "x");
  EXPECT_TRUE(Document::parse("null").root().is_null());
  EXPECT_EQ(Document::parse("false").root().as_bool(), false);
  Document empty = Document::parse(R"({"a":[],"b":{},"c":[[],{}]})");
  EXPECT_EQ(empty.root().size(), 3u);
  EXPECT_TRUE(empty.root()["a"].is_array());
  EXPECT_EQ(empty.root()["a"].size(), 0u);
  EXPECT_TRUE(empty.root()["b"].is_object());
  EXPECT_EQ(empty.root()["c"].size(), 2u);
  EXPECT_TRUE(empty.root()["c"][1].is_object());
}

TEST(JsonDocument, DuplicateKeysTheLastWinsAndMembersKeepThemAll) {
  Document doc = Document::parse(R"({"k":1,"x":{"k":5},"k":2})");
  EXPECT_EQ(doc.root()["k"].as_int64(), 2);
  std::vector<std::string> seen;
  for (const auto& [key, value] : doc.root().members()) {
    seen.push_back(std::string(key) + "=" + std::string(value.raw()));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"k=1", "x={\"k\":5}", "k=2"}));
}

TEST(JsonDocument, ItemsAndMembersSkipNestedValues) {
  Document doc = Document::parse(R"([1,[2,[3]],{"a":[4]},"five"])");
  std::vector<std::string> raws;
  for (Value item : doc.root().items()) raws.emplace_back(item.raw());
  EXPECT_EQ(raws, (std::vector<std::string>{"1", "[2,[3]]", R"({"a":[4]})", R"("five")"}));
  EXPECT_EQ(doc.root()[3].str(), "five");
  EXPECT_EQ(doc.root()[1][1][0].as_int64(), 3);
}

TEST(JsonDocument, RawIsTheExactSourceText) {
  const std::string args = R"({ "city" : "Paris\u00e9",
    "days": [1, 2.50, -0e3] })";
  Document doc = Document::parse(R"({"function":{"arguments":)" + args + R"(, "n": 1.50E+2}})");
  EXPECT_EQ(doc.root()["function"]["arguments"].raw(), args);
  EXPECT_EQ(doc.root()["function"]["n"].raw(), "1.50E+2");
  EXPECT_EQ(doc.root()["function"]["n"].text(), "1.50E+2");
  EXPECT_EQ(doc.root()["function"]["n"].as_int64(), 150);
  EXPECT_EQ(doc.root()["function"]["arguments"]["city"].raw(), R"("Paris\u00e9")");
  // A raw() re-parsed reads the same.
  Document again = Document::parse(doc.root()["function"]["arguments"].raw());
  EXPECT_EQ(again.root()["city"].str(), "Paris\xC3\xA9");
  EXPECT_EQ(again.root()["days"][1].as_double(), 2.5);
}

TEST(JsonDocument, TextOfScalarsForErrorCodes) {
  Document doc = Document::parse(R"({"a":"rate_limit","b":-20003,"c":1.5,"d":true,"e":[1]})");
  EXPECT_EQ(doc.root()["a"].text(), "rate_limit");
  EXPECT_EQ(doc.root()["b"].text(), "-20003");
  EXPECT_EQ(doc.root()["c"].text(), "1.5");
  EXPECT_EQ(doc.root()["d"].text(), "");
  EXPECT_EQ(doc.root()["e"].text(), "");
  EXPECT_EQ(doc.root()["missing"].text(), "");
}

TEST(JsonDocument, EscapesAreDecoded) {
  Document doc = Document::parse(R"(["a\"b\\c\/d\b\f\n\r\t", "\u0041\u00e9\u4e2d\u0000z", )"
                                 R"("\ud83d\ude00", "plain", "x\u0022"])");
  EXPECT_EQ(doc.root()[0].str(), "a\"b\\c/d\b\f\n\r\t");
  EXPECT_EQ(doc.root()[1].str(), std::string("A\xC3\xA9\xE4\xB8\xAD\0z", 8));
  EXPECT_EQ(doc.root()[2].str(), "\xF0\x9F\x98\x80");  // U+1F600 from a surrogate pair
  EXPECT_EQ(doc.root()[3].str(), "plain");
  EXPECT_EQ(doc.root()[4].str(), "x\"");
  // Escaped keys are found by their decoded text.
  Document keys = Document::parse(R"({"caf\u00e9":1,"a\nb":2})");
  EXPECT_EQ(keys.root()["caf\xC3\xA9"].as_int64(), 1);
  EXPECT_EQ(keys.root()["a\nb"].as_int64(), 2);
}

TEST(JsonDocument, LoneSurrogatesBecomeTheReplacementCharacter) {
  const std::string fffd = "\xEF\xBF\xBD";
  Document doc = Document::parse(R"(["\ud83d", "\ude00x", "a\ud83d\u0041", "\ud83d\ud83d\ude00"])");
  EXPECT_EQ(doc.root()[0].str(), fffd);
  EXPECT_EQ(doc.root()[1].str(), fffd + "x");
  EXPECT_EQ(doc.root()[2].str(), "a" + fffd + "A");
  EXPECT_EQ(doc.root()[3].str(), fffd + "\xF0\x9F\x98\x80");
}

TEST(JsonDocument, BytesOfStringsAreKeptAsTheyAre) {
  // Not valid UTF-8, not refused: a reply cut inside a character still reads.
  Document doc = Document::parse("[\"\xC3\", \"\xE4\xB8\xAD\"]");
  EXPECT_EQ(doc.root()[0].str(), "\xC3");
  EXPECT_EQ(doc.root()[1].str(), "\xE4\xB8\xAD");
}

TEST(JsonDocument, NumbersAsIntegersDoublesAndCounts) {
  Document doc = Document::parse(
      R"([0, -0, 12, 12.0, 1e3, 1.5, -7, 9223372036854775807, -9223372036854775808,)"
      R"( 9223372036854775808, -9223372036854775809, 18446744073709551616, 1e400, -1e400,)"
      R"( 1e-400, 2e308, 0.1, 5E-1, 1e19, 123456789012345678901234567890e-20])");
  Value v = doc.root();
  EXPECT_EQ(v[0].as_int64(), 0);
  EXPECT_EQ(v[1].as_int64(), 0);
  EXPECT_EQ(v[2].as_int64(), 12);
  EXPECT_EQ(v[3].as_int64(), 12);
  EXPECT_EQ(v[4].as_int64(), 1000);
  EXPECT_EQ(v[5].as_int64(), std::nullopt);
  EXPECT_EQ(v[5].as_double(), 1.5);
  EXPECT_EQ(v[6].as_int64(), -7);
  EXPECT_EQ(v[6].as_count(), std::nullopt);
  EXPECT_EQ(v[7].as_int64(), 9223372036854775807LL);
  EXPECT_EQ(v[7].as_count(), 9223372036854775807LL);
  EXPECT_EQ(v[8].as_int64(), -9223372036854775807LL - 1);
  EXPECT_EQ(v[9].as_int64(), std::nullopt);   // 2^63
  EXPECT_EQ(v[10].as_int64(), std::nullopt);  // below -2^63
  EXPECT_EQ(v[11].as_count(), std::nullopt);  // 2^64
  EXPECT_EQ(v[11].as_double(), 18446744073709551616.0);
  // Beyond a double's range: read as ±1e308, and never an integer or a count.
  EXPECT_EQ(v[12].as_double(), 1e308);
  EXPECT_EQ(v[12].as_int64(), std::nullopt);
  EXPECT_EQ(v[12].as_count(), std::nullopt);
  EXPECT_EQ(v[13].as_double(), -1e308);
  EXPECT_EQ(v[14].as_double(), 0.0);
  EXPECT_EQ(v[15].as_double(), 1e308);
  EXPECT_EQ(v[16].as_double(), 0.1);
  EXPECT_EQ(v[17].as_double(), 0.5);
  EXPECT_EQ(v[18].as_int64(), std::nullopt);  // whole, but past 2^63
  EXPECT_EQ(v[19].as_double(), 1234567890.1234567890);
  EXPECT_EQ(v[0].as_bool(), std::nullopt);
  EXPECT_EQ(doc.root().as_double(), std::nullopt);
}

TEST(JsonDocument, HugeNumbersDoNotCostTheDocument) {
  // Many numbers beyond range (the old reader re-parsed the text for each, up to 16).
  std::string text = R"({"usage":{"prompt_tokens":)";
  for (int i = 0; i < 100; ++i) text += "1e400,\"x" + std::to_string(i) + "\":";
  text += R"(-1e99999},"content":"ok"})";
  Document doc = Document::parse(text);
  EXPECT_EQ(doc.root()["content"].str(), "ok");
  EXPECT_EQ(doc.root()["usage"]["x99"].as_double(), -1e308);
  EXPECT_EQ(doc.root()["usage"]["prompt_tokens"].as_count(), std::nullopt);
}

TEST(JsonDocument, InvalidJsonNamesTheByteAndWhatWasExpected) {
  EXPECT_EQ(parse_error(R"({"a":1,})"),
            "invalid JSON at byte 7: expected '\"' to start a member name, found '}'");
  EXPECT_EQ(parse_error("[1,]"), "invalid JSON at byte 3: expected a value, found ']'");
  EXPECT_EQ(parse_error(R"({"a":1 "b":2})"),
            "invalid JSON at byte 7: expected ',' or '}', found '\"'");
  EXPECT_EQ(parse_error("[1 2]"), "invalid JSON at byte 3: expected ',' or ']', found '2'");
  EXPECT_EQ(parse_error(R"({"a" 1})"),
            "invalid JSON at byte 5: expected ':' after a member name, found '1'");
  EXPECT_EQ(parse_error(R"({"a":1)"),
            "invalid JSON at byte 6: expected ',' or '}' (the text ends there)");
  EXPECT_EQ(parse_error(""), "invalid JSON at byte 0: expected a value (the text ends there)");
  EXPECT_EQ(parse_error("   "), "invalid JSON at byte 3: expected a value (the text ends there)");
  EXPECT_EQ(parse_error("{} x"),
            "invalid JSON at byte 3: unexpected text after the JSON value, found 'x'");
  EXPECT_EQ(parse_error("[}"), "invalid JSON at byte 1: expected a value, found '}'");
  EXPECT_EQ(parse_error("{]"),
            "invalid JSON at byte 1: expected '\"' to start a member name, found ']'");
  EXPECT_EQ(parse_error("\xEF\xBB\xBF{}"),
            "invalid JSON at byte 0: expected a value, found byte 0xEF");
}

TEST(JsonDocument, RefusesWhatRfc8259Refuses) {
  for (std::string_view bad : {
           "[1,]",     "{\"a\":1,}", "[1] // c",   "/* c */ [1]", "['a']",       "{a:1}",
           "[01]",     "[-]",        "[1.]",       "[.5]",        "[1e]",        "[1e+]",
           "[+1]",     "[NaN]",      "[Infinity]", "[-Infinity]", "[tru]",       "[nul]",
           "[True]",   "[\"a\tb\"]", "[\"a\nb\"]", "[\"\\x41\"]", "[\"\\u12\"]", "[\"\\u12G4\"]",
           "[\"\\\"]", "[\"abc",     "{\"a\"",     "[1,2",        "[[]",         "[]]",
           "{}}",      "\"\\",       "[\"\\'\"]",  "\x0B[1]",     "[0x10]",      "[\"a\"\"b\"]",
       }) {
    EXPECT_NE(parse_error(bad), "") << "accepted: " << bad;
  }
  EXPECT_EQ(parse_error(std::string("[1]\0", 4)),
            "invalid JSON at byte 3: unexpected text after the JSON value, found byte 0x00");
  EXPECT_EQ(parse_error(std::string("[\"a\x01\"]")),
            "invalid JSON at byte 3: control character in a string (it must be escaped), found "
            "byte 0x01");
  EXPECT_EQ(parse_error("[01]"), "invalid JSON at byte 1: number with a leading zero, found '0'");
  EXPECT_EQ(parse_error(R"(["\q"])"),
            "invalid JSON at byte 2: invalid escape in a string, found '\\'");
  EXPECT_EQ(parse_error(R"(["abc)"), "invalid JSON at byte 1: string never closed, found '\"'");
}

TEST(JsonDocument, AcceptsWhatRfc8259Allows) {
  for (std::string_view good : {
           " \t\r\n[ 1 , 2 ] \n",
           "-0.0e-0",
           "0E+5",
           "{\"\":\"\"}",
           "[\"\\u0000\"]",
           "1e-400",
           "[\"\x7F\"]",
           "{\"a\":{\"a\":{\"a\":[]}}}",
       }) {
    EXPECT_EQ(parse_error(good), "") << good;
  }
}

TEST(JsonDocument, NestingIsBoundedWithoutRecursion) {
  // 300,000 levels: an error naming where it goes too deep, no stack overflow.
  const std::string deep(300000, '[');
  EXPECT_EQ(parse_error(deep), "JSON nested deeper than 128 levels at byte 128");
  EXPECT_EQ(parse_error(std::string(300000, '{')),
            "invalid JSON at byte 1: expected '\"' to start a member name, found '{'");
  std::string objects;
  for (int i = 0; i < 300000; ++i) objects += "{\"a\":";
  EXPECT_EQ(parse_error(objects), "JSON nested deeper than 128 levels at byte 640");
  // Exactly the limit reads; one more does not.
  const std::string at_limit = std::string(128, '[') + std::string(128, ']');
  EXPECT_EQ(parse_error(at_limit), "");
  EXPECT_EQ(parse_error("[" + at_limit + "]"), "JSON nested deeper than 128 levels at byte 128");
  ParseLimits shallow;
  shallow.max_depth = 2;
  EXPECT_EQ(parse_error("[[1]]", shallow), "");
  EXPECT_EQ(parse_error("[[[1]]]", shallow), "JSON nested deeper than 2 levels at byte 2");
  // Siblings do not add up.
  EXPECT_EQ(parse_error("[[1],[2],[3]]", shallow), "");
}

TEST(JsonDocument, LongerThanTheByteLimitIsRefused) {
  ParseLimits small;
  small.max_bytes = 10;
  EXPECT_EQ(parse_error("[1,2,3,4,5]", small),
            "JSON text of 11 bytes is longer than the limit of 10");
  EXPECT_EQ(parse_error("[1,2,3,45]", small), "");
}

TEST(JsonDocument, ParseThrowsAProtocolError) {
  try {
    Document::parse(R"({"a":)");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::protocol);
    EXPECT_EQ(e.info().message, "invalid JSON at byte 5: expected a value (the text ends there)");
  }
}

TEST(JsonDocument, ValuesStayValidWhenTheDocumentMoves) {
  std::optional<Document> parsed = Document::try_parse(R"({"a":"b"})");
  ASSERT_TRUE(parsed);
  Value a = parsed->root()["a"];
  Document moved = std::move(*parsed);
  parsed.reset();
  EXPECT_EQ(a.str(), "b");
  EXPECT_EQ(moved.root()["a"].str(), "b");
}

TEST(JsonDocument, ReparseReusesTheDocumentAndEmptiesItOnFailure) {
  Document doc;
  EXPECT_FALSE(doc.root().exists());
  ASSERT_TRUE(doc.reparse(R"({"a":"x\ny"})"));
  EXPECT_EQ(doc.root()["a"].str(), "x\ny");
  ASSERT_TRUE(doc.reparse(R"([1,2])"));
  EXPECT_EQ(doc.root().size(), 2u);
  EXPECT_FALSE(doc.root()["a"].exists());
  std::string error;
  EXPECT_FALSE(doc.reparse("[1,", &error));
  EXPECT_EQ(error, "invalid JSON at byte 3: expected a value (the text ends there)");
  EXPECT_FALSE(doc.root().exists());
  // After a large text, a small one does not keep its memory, and reads right.
  ASSERT_TRUE(doc.reparse("\"" + std::string(1 << 20, 'x') + "\""));
  ASSERT_TRUE(doc.reparse(R"({"b":true})"));
  EXPECT_EQ(doc.root()["b"].as_bool(), true);
}

TEST(JsonDocument, TheDocumentOwnsItsText) {
  std::string text = R"({"a":"b","c":"d\n"})";
  Document doc = Document::parse(text);
  text.assign(text.size(), 'x');
  EXPECT_EQ(doc.root()["a"].str(), "b");
  EXPECT_EQ(doc.root()["c"].str(), "d\n");
}

TEST(JsonDocument, AMebibyteReplyAndManySmallValues) {
  std::string content;
  for (int i = 0; i < 100000; ++i) content += "word\\n\\u00e9 ";
  Document doc = Document::parse(R"({"content":")" + content + R"("})");
  EXPECT_EQ(doc.root()["content"].str().size(), 100000u * 8);
  std::string many = "[";
  for (int i = 0; i < 200000; ++i) many += std::to_string(i) + ",";
  many.back() = ']';
  Document numbers = Document::parse(many);
  EXPECT_EQ(numbers.root().size(), 200000u);
  long long sum = 0;
  for (Value v : numbers.root().items()) sum += *v.as_int64();
  EXPECT_EQ(sum, 199999LL * 200000 / 2);
}

}  // namespace
}  // namespace llmrt::json
