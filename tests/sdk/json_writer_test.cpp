#include "llmrt/sdk/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>

#include "llmrt/sdk/error.h"
#include "llmrt/sdk/json.h"

namespace llmrt::json {
namespace {

std::string write_string(std::string_view s) {
  JsonWriter w;
  w.string(s);
  return w.take();
}

std::string write_double(double d) {
  JsonWriter w;
  w.number(d);
  return w.take();
}

TEST(JsonWriter, CommasAndColonsArePlacedForNestedValues) {
  JsonWriter w;
  w.begin_object();
  w.field("model", "gpt").field("n", 1).field("stream", true);
  w.key("messages").begin_array();
  w.begin_object().field("role", std::string("user")).field("content", "hi").end_object();
  w.begin_object().end_object();
  w.end_array();
  w.key("empty").begin_array().end_array();
  w.key("stop").begin_array().string("a").string("b").end_array();
  w.key("nothing").null();
  w.key("args").raw(R"({"x": [1, 2]})");
  w.key("big").number(18446744073709551615ULL);
  w.key("neg").number(-5LL);
  w.field("t", 0.8);
  w.field("size", std::size_t{7});
  w.end_object();
  EXPECT_EQ(w.str(),
            R"({"model":"gpt","n":1,"stream":true,"messages":[{"role":"user","content":"hi"},{}],)"
            R"("empty":[],"stop":["a","b"],"nothing":null,"args":{"x": [1, 2]},)"
            R"("big":18446744073709551615,"neg":-5,"t":0.8,"size":7})");
  std::string text = w.take();
  EXPECT_EQ(w.str(), "");
  Document doc = Document::parse(text);
  EXPECT_EQ(doc.root()["messages"][0]["content"].str(), "hi");
  EXPECT_EQ(doc.root()["args"]["x"][1].as_int64(), 2);
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(write_string(std::string_view()), R"("")");  // a view with no data at all
  EXPECT_EQ(write_string("a\"b\\c/d"), R"("a\"b\\c/d")");
  EXPECT_EQ(write_string("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(write_string(std::string("\0\x01\x1F\x7F", 4)), "\"\\u0000\\u0001\\u001F\x7F\"");
  // Keys are escaped the same way.
  JsonWriter w;
  w.begin_object().field("a\"\n", 1).end_object();
  EXPECT_EQ(w.take(), R"({"a\"\n":1})");
}

TEST(JsonWriter, ValidUtf8IsWrittenAsItIs) {
  const std::string text =
      "caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80 \xEF\xBF\xBF \xF4\x8F\xBF\xBF";
  EXPECT_EQ(write_string(text), "\"" + text + "\"");
}

TEST(JsonWriter, InvalidUtf8BecomesTheReplacementCharacter) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(write_string("a\xC3"), "\"a" + fffd + "\"");                      // cut short
  EXPECT_EQ(write_string("\x80x"), "\"" + fffd + "x\"");                      // a lone continuation
  EXPECT_EQ(write_string("\xC0\xAF"), "\"" + fffd + fffd + "\"");             // overlong '/'
  EXPECT_EQ(write_string("\xED\xA0\x80"), "\"" + fffd + fffd + fffd + "\"");  // a surrogate
  EXPECT_EQ(write_string("\xF4\x90\x80\x80"), "\"" + fffd + fffd + fffd + fffd + "\"");
  EXPECT_EQ(write_string("\xFF"), "\"" + fffd + "\"");
  EXPECT_EQ(write_string("\xE4\xB8"), "\"" + fffd + fffd + "\"");
  // Whatever the bytes, the text parses, as JSON and as UTF-8.
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  std::string written = write_string(all);
  EXPECT_TRUE(Document::try_parse(written));
  EXPECT_EQ(write_string(Document::parse(written).root().str()), written);
}

// Plain runs are skipped sixteen bytes at a time: each byte that needs a look is found at
// every position, before, across and after those blocks.
TEST(JsonWriter, EveryByteIsHandledAtEveryPosition) {
  auto alone = [](unsigned char c) -> std::string {
    switch (c) {
      case '"':
        return R"(\")";
      case '\\':
        return R"(\\)";
      case '\b':
        return R"(\b)";
      case '\f':
        return R"(\f)";
      case '\n':
        return R"(\n)";
      case '\r':
        return R"(\r)";
      case '\t':
        return R"(\t)";
      default:
        break;
    }
    if (c < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04X", c);
      return buffer;
    }
    return c < 0x80 ? std::string(1, static_cast<char>(c)) : "\xEF\xBF\xBD";  // a lone byte
  };
  // As a key after another member: the short path's comma before and colon after it.
  auto write_key = [](std::string_view name) {
    JsonWriter w;
    w.begin_object().key("a").null().key(name).null().end_object();
    return w.take();
  };
  // Up to 60 bytes are copied and checked in a padded buffer; longer ones where they are.
  for (std::size_t size : {1, 2, 15, 16, 17, 31, 33, 40, 48, 59, 60, 61, 64, 65}) {
    for (std::size_t at = 0; at < size; ++at) {
      for (int c = 0; c < 256; ++c) {
        std::string text(size, 'x');
        text[at] = static_cast<char>(c);
        const std::string expected = "\"" + std::string(at, 'x') +
                                     alone(static_cast<unsigned char>(c)) +
                                     std::string(size - at - 1, 'x') + "\"";
        ASSERT_EQ(write_string(text), expected) << "byte " << c << " at " << at << " of " << size;
        ASSERT_EQ(write_key(text), "{\"a\":null," + expected + ":null}")
            << "key: byte " << c << " at " << at << " of " << size;
      }
      // A whole UTF-8 sequence there, across a block's end too, is kept.
      if (at + 4 <= size) {
        std::string text(size, 'x');
        text.replace(at, 4, "\xF0\x9F\x98\x80");
        EXPECT_EQ(write_string(text), "\"" + text + "\"") << "at " << at << " of " << size;
      }
    }
  }
}

TEST(JsonWriter, DoublesAreShortestAndReadAsDoubles) {
  EXPECT_EQ(write_double(0.8), "0.8");
  EXPECT_EQ(write_double(1.0), "1.0");
  EXPECT_EQ(write_double(0.0), "0.0");
  EXPECT_EQ(write_double(-0.0), "-0.0");
  EXPECT_EQ(write_double(-2.5), "-2.5");
  EXPECT_EQ(write_double(100.0), "100.0");
  EXPECT_EQ(write_double(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(write_double(1e21), "1e21");
  EXPECT_EQ(write_double(1e20), "100000000000000000000.0");
  EXPECT_EQ(write_double(123456.789), "123456.789");
  EXPECT_EQ(write_double(0.000001), "0.000001");
  EXPECT_EQ(write_double(1e-7), "1e-7");
  EXPECT_EQ(write_double(1.5e-7), "1.5e-7");
  EXPECT_EQ(write_double(1.5e300), "1.5e300");
  EXPECT_EQ(write_double(std::numeric_limits<double>::max()), "1.7976931348623157e308");
  EXPECT_EQ(write_double(5e-324), "5e-324");
  for (double d : {0.8, 1e-7, 3.141592653589793, 1e300, 2.5e-310, 12345678.9}) {
    EXPECT_EQ(Document::parse(write_double(d)).root().as_double(), d) << d;
  }
}

TEST(JsonWriter, NanAndInfinityAreABadRequestNamingTheMember) {
  JsonWriter w;
  w.begin_object().key("temperature");
  try {
    w.number(std::nan(""));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    EXPECT_EQ(e.info().message, "cannot write NaN as a JSON number (the value of 'temperature')");
  }
  JsonWriter a;
  a.begin_array();
  EXPECT_THROW(a.number(std::numeric_limits<double>::infinity()), Error);
  EXPECT_THROW(a.number(-std::numeric_limits<double>::infinity()), Error);
}

TEST(JsonWriter, IntegersOfEveryWidth) {
  JsonWriter w;
  w.begin_array()
      .number(0)
      .number(-1)
      .number(static_cast<short>(-3))
      .number(std::numeric_limits<long long>::min())
      .number(std::numeric_limits<unsigned>::max())
      .end_array();
  EXPECT_EQ(w.take(), "[0,-1,-3,-9223372036854775808,4294967295]");
}

TEST(JsonWriter, MisuseIsALogicError) {
  {
    JsonWriter w;
    w.begin_object();
    EXPECT_THROW(w.string("no key"), std::logic_error);
  }
  {
    JsonWriter w;
    EXPECT_THROW(w.key("k"), std::logic_error);
  }
  {
    JsonWriter w;
    w.begin_array();
    EXPECT_THROW(w.end_object(), std::logic_error);
    EXPECT_THROW(w.take(), std::logic_error);
  }
  {
    JsonWriter w;
    w.begin_object().key("k");
    EXPECT_THROW(w.end_object(), std::logic_error);
    EXPECT_THROW(w.key("again"), std::logic_error);
  }
  {
    JsonWriter w;
    w.number(1);
    EXPECT_THROW(w.number(2), std::logic_error);
  }
}

// At every level of a deep nesting, each container is ended by its own kind only, and a key
// is taken exactly inside objects.
TEST(JsonWriter, EveryLevelEndsWithItsOwnKind) {
  constexpr int kLevels = 100;
  auto open_alternating = [](JsonWriter& w) {
    for (int level = 1; level <= kLevels; ++level) {
      if (level % 2 == 1) {
        w.begin_object().key("a");
      } else {
        w.begin_array();
      }
    }
  };
  JsonWriter w;
  open_alternating(w);
  w.number(1);
  for (int level = kLevels; level >= 1; --level) {
    if (level % 2 == 1) {
      EXPECT_THROW(w.end_array(), std::logic_error) << level;
      w.end_object();
    } else {
      EXPECT_THROW(w.end_object(), std::logic_error) << level;
      EXPECT_THROW(w.key("k"), std::logic_error) << level;
      w.end_array();
    }
  }
  const std::string text = w.take();
  EXPECT_EQ(text.size(), static_cast<std::size_t>(kLevels / 2 * (5 + 1) + 1 + kLevels));
  EXPECT_TRUE(Document::try_parse(text));
}

TEST(JsonWriter, RoundTripThroughTheReader) {
  const std::string original =
      R"({"a":[1,-2.5,"x\ny\u0001",true,false,null,{"b":{}}],"c":"\ud83d\ude00"})";
  Document doc = Document::parse(original);
  JsonWriter w;
  w.begin_object();
  for (const auto& [key, value] : doc.root().members()) w.key(key).raw(value.raw());
  w.end_object();
  EXPECT_EQ(w.take(), original);
  JsonWriter s;
  s.string(doc.root()["a"][2].str());
  EXPECT_EQ(s.take(), R"("x\ny\u0001")");
}

}  // namespace
}  // namespace llmrt::json
