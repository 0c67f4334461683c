#include "llmrt/sdk/ndjson.h"

#include <gtest/gtest.h>

#include "llmrt/sdk/error.h"
#include "support/event_text.h"

namespace llmrt {
namespace {

// "line:raw JSON" per value.
std::vector<std::string> decode_ndjson(const std::vector<std::string>& reads,
                                       std::size_t limit = 1024) {
  NdjsonDecoder decoder(DecoderLimits{.max_event_bytes = limit});
  std::vector<std::string> values;
  auto collect = [&](const json::Value& v, std::size_t line) {
    values.push_back(std::to_string(line) + ":" + std::string(v["message"]["content"].str()) +
                     (v["done"].as_bool().value_or(false) ? "|done" : ""));
  };
  for (const std::string& r : reads) decoder.feed(r, collect);
  decoder.finish(collect);
  return values;
}

std::string error_of(const std::vector<std::string>& reads, std::size_t limit = 1024) {
  try {
    decode_ndjson(reads, limit);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::protocol);
    return e.what();
  }
  return "no error";
}

// Ollama's /api/chat stream: one object a line, the last one says done; CRLF, blank lines and a
// last line without its line break are all fine.
TEST(Ndjson, LinesBecomeValuesAtEverySplit) {
  const std::string body =
      "{\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"done\":false}\n"
      "\r\n"
      "{\"message\":{\"content\":\"lo \\u00e9\"},\"done\":false}\r\n"
      "  \t\n"
      "{\"message\":{\"content\":\"\"},\"done\":true,\"eval_count\":2}";
  const std::vector<std::string> expected{"1:Hel", "3:lo é", "5:|done"};
  for (const auto& reads : test::splits_of(body)) ASSERT_EQ(decode_ndjson(reads), expected);
}

TEST(Ndjson, InvalidJsonNamesTheLineAndQuotesIt) {
  const std::string what = error_of({"{\"done\":false}\n\n{\"message\": oops}\n{}\n"});
  EXPECT_NE(what.find("NDJSON line 3 is not JSON"), std::string::npos) << what;
  EXPECT_NE(what.find("'{\"message\": oops}'"), std::string::npos) << what;
}

TEST(Ndjson, AnOverlongLineNamesItsNumberWholeOrSplit) {
  const std::string body = "{}\n{\"message\":{\"content\":\"" + std::string(200, 'x') + "\"}}\n";
  for (const auto& reads : {std::vector<std::string>{body}, test::splits_of(body)[1]}) {
    const std::string what = error_of(reads, 64);
    EXPECT_NE(what.find("NDJSON line 2 is longer than the limit of 64 bytes"), std::string::npos)
        << what;
    EXPECT_NE(what.find("'{\"message\":{\"content\":\"xxx"), std::string::npos) << what;
  }
}

TEST(Ndjson, AnUnendedOverlongLineIsRefusedBeforeTheBodyEnds) {
  NdjsonDecoder decoder(DecoderLimits{.max_event_bytes = 16});
  auto ignore = [](const json::Value&, std::size_t) {};
  decoder.feed("{\"a\":", ignore);
  EXPECT_THROW(
      {
        for (int i = 0; i < 10; ++i) decoder.feed("\"xxxxxxxx\"", ignore);
      },
      Error);
}

}  // namespace
}  // namespace llmrt
