// Every case of shared/wire/sse.md, each fed whole, one byte at a time, split at every offset
// and (for short bodies) at every pair of offsets.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "llmrt/sdk/error.h"
#include "llmrt/sdk/sse.h"
#include "support/event_text.h"

namespace llmrt {
namespace {

std::vector<std::string> decode(const std::vector<std::string>& reads,
                                std::size_t limit = kDefaultMaxLineBytes) {
  SseDecoder decoder(limit);
  std::vector<std::string> events;
  auto collect = [&](const SseEvent& e) { events.push_back(test::sse_text(e)); };
  for (const std::string& r : reads) {
    // Each read in a buffer of its own, spoilt and freed once fed: an event handed out later
    // must not be read from it (the decoder keeps views only within one feed).
    auto buffer = std::make_unique<char[]>(r.size() + 1);
    std::copy(r.begin(), r.end(), buffer.get());
    decoder.feed(std::string_view(buffer.get(), r.size()), collect);
    std::fill_n(buffer.get(), r.size(), '#');
  }
  decoder.finish(collect);
  return events;
}

struct Case {
  const char* name;
  std::string body;
  std::vector<std::string> expected;  // "type|data|id"
  // Case 14 is about volume in one read: whole and byte by byte, not 18,000 splits.
  bool every_offset = true;
  friend void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }
};

std::vector<Case> wire_cases() {
  std::string many;
  std::vector<std::string> many_expected;
  for (int i = 0; i < 2000; ++i) {
    many += "data: " + std::to_string(i) + "\n\n";
    many_expected.push_back("message|" + std::to_string(i) + "|");
  }
  return {
      {"1_simple", "data: hello\n\n", {"message|hello|"}},
      {"2_event_type", "event: time\ndata: 2024\n\n", {"time|2024|"}},
      {"3_no_space", "data:hello\n\n", {"message|hello|"}},
      {"3_two_spaces_keep_one", "data:  hello\n\n", {"message| hello|"}},
      {"4_multi_line", "data: a\ndata: b\ndata: c\n\n", {"message|a\nb\nc|"}},
      {"5_empty_data", "data:\n\n", {"message||"}},
      {"6_no_data_no_event", "event: ping\n\n", {}},
      {"7_comment", ": keep-alive\n\ndata: x\n\n", {"message|x|"}},
      {"8_lone_cr", "data: dog\rdata: bark\r\r", {"message|dog\nbark|"}},
      {"9_crlf", "data: sheep\r\ndata: bleat\r\n\r\n", {"message|sheep\nbleat|"}},
      {"10_crlf_split", "data: A\r\ndata: B\r\ndata: C\r\n\r\n", {"message|A\nB\nC|"}},
      {"12_utf8", "data: 日本語 🎉\n\n", {"message|日本語 🎉|"}},
      {"13_unterminated", "data: partial\n", {}},
      {"14_many", many, many_expected, false},
      {"15_odd_fields",
       "data:abc\n data\ndata\nfoobar:xxx\njusttext\n:c\ndata:123\n\n",
       {"message|abc\n\n123|"}},
      // Only a field named exactly "data" is data; "data:" with one space is empty data.
      {"field_names_near_data",
       "dataX: a\nDATA: b\ndat: c\ndata : d\ndata:\tE\ndata: \n\n",
       {"message|\tE\n|"}},
      {"16_dashscope",
       "id:1\nevent:result\n:HTTP_STATUS/200\ndata:{\"a\":1}\n\n",
       {"result|{\"a\":1}|1"}},
      {"bom_stripped",
       "\xEF\xBB\xBF"
       "data: x\n\n",
       {"message|x|"}},
      {"id_kept_after_dispatch", "id: 7\ndata: a\n\ndata: b\n\n", {"message|a|7", "message|b|7"}},
      {"id_with_nul_ignored",
       std::string("id: 1\ndata: a\n\nid: 2") + '\0' + "x\ndata: b\n\n",
       {"message|a|1", "message|b|1"}},
      {"type_reset_after_dispatch", "event: x\ndata: a\n\ndata: b\n\n", {"x|a|", "message|b|"}},
      {"no_final_blank_line_discarded", "data: a\n\ndata: b", {"message|a|"}},
  };
}

class SseWireCase : public ::testing::TestWithParam<Case> {};

TEST_P(SseWireCase, SameEventsForEverySplit) {
  const Case& c = GetParam();
  auto splits = test::splits_of(c.body, 64);
  if (!c.every_offset) splits.resize(2);  // whole, byte by byte
  for (const auto& reads : splits) {
    ASSERT_EQ(decode(reads), c.expected) << "split into " << reads.size() << " reads";
  }
}

INSTANTIATE_TEST_SUITE_P(WireDoc, SseWireCase, ::testing::ValuesIn(wire_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

// Case 10 exactly as the wire doc draws its read boundaries.
TEST(SseDecoder, CrLfSplitAcrossReadsIsOneLineEnd) {
  EXPECT_EQ(decode({"data: A\r\n", "data: B\r", "\n", "data: C\r\n", "\n"}),
            std::vector<std::string>{"message|A\nB\nC|"});
}

TEST(SseDecoder, BomSplitAcrossReadsIsStripped) {
  EXPECT_EQ(decode({"\xEF", "\xBB",
                    "\xBF"
                    "data: x\n\n"}),
            std::vector<std::string>{"message|x|"});
}

TEST(SseDecoder, BomOnlyAtTheVeryStart) {
  EXPECT_EQ(decode({"data: a\n\n\xEF\xBB\xBF"
                    "data: b\n\n"}),
            (std::vector<std::string>{"message|a|"}));
}

TEST(SseDecoder, RetryOnlyWhenAllDigits) {
  SseDecoder decoder;
  auto ignore = [](const SseEvent&) {};
  decoder.feed("retry: 12x\n\n", ignore);
  EXPECT_FALSE(decoder.retry_ms().has_value());
  decoder.feed("retry: 3000\n\n", ignore);
  EXPECT_EQ(decoder.retry_ms(), 3000u);
  decoder.feed("retry: -1\n\n", ignore);
  EXPECT_EQ(decoder.retry_ms(), 3000u);
}

TEST(SseDecoder, LineOverTheLimitIsAnErrorNamingTheLimit) {
  try {
    decode({"data: " + std::string(100, 'x') + "\n\n"}, 64);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::protocol);
    EXPECT_NE(std::string(e.what()).find("64 bytes"), std::string::npos) << e.what();
  }
}

TEST(SseDecoder, UnterminatedLineOverTheLimitFailsBeforeGrowing) {
  SseDecoder decoder(1024);
  auto ignore = [](const SseEvent&) {};
  std::string piece(512, 'x');
  decoder.feed("data: ", ignore);
  decoder.feed(piece, ignore);
  EXPECT_THROW(decoder.feed(piece, ignore), Error);
}

TEST(SseDecoder, EventOverTheLimitAcrossManyLinesIsAnError) {
  std::string body;
  for (int i = 0; i < 100; ++i) body += "data: 0123456789\n";
  EXPECT_THROW(decode({body + "\n"}, 256), Error);
}

// A feed that failed may be followed by more: a data line read before the failure, in the
// same feed, is kept and not read from the spent buffer.
TEST(SseDecoder, FeedingGoesOnAfterAFailedFeed) {
  SseDecoder decoder(16);
  std::vector<std::string> events;
  auto collect = [&](const SseEvent& e) { events.push_back(test::sse_text(e)); };
  std::string read = "data: one\n" + std::string(40, 'x') + "\n";
  EXPECT_THROW(decoder.feed(read, collect), Error);
  std::fill(read.begin(), read.end(), '#');
  decoder.feed("\n", collect);
  EXPECT_EQ(events, (std::vector<std::string>{"message|one|"}));
}

// A consumer that throws on an event ends that event, one data line or several: feeding on
// starts with the next one, nothing of the failed one carried into it.
TEST(SseDecoder, AConsumerThatThrowsEndsThatEventOnly) {
  for (const char* failing : {"data: a\n\n", "event: x\ndata: a\ndata: b\n\n"}) {
    SseDecoder decoder;
    std::vector<std::string> events;
    auto collect = [&](const SseEvent& e) {
      if (e.data.front() == 'a') throw std::runtime_error("consumer failed");
      events.push_back(test::sse_text(e));
    };
    EXPECT_THROW(decoder.feed(failing, collect), std::runtime_error);
    decoder.feed("data: c\n\n", collect);
    EXPECT_EQ(events, (std::vector<std::string>{"message|c|"})) << failing;
  }
}

TEST(SseDecoder, AnEventCompletedInALaterReadKeepsItsData) {
  SseDecoder decoder;
  std::vector<std::string> events;
  auto collect = [&](const SseEvent& e) { events.push_back(test::sse_text(e)); };
  std::string read = "data: kept\n";
  decoder.feed(read, collect);
  std::fill(read.begin(), read.end(), '#');
  read = "data: more\n\ndata: last\n";
  decoder.feed(read, collect);
  std::fill(read.begin(), read.end(), '#');
  decoder.feed("\n", collect);
  EXPECT_EQ(events, (std::vector<std::string>{"message|kept\nmore|", "message|last|"}));
}

}  // namespace
}  // namespace llmrt
