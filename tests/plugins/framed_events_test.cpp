// The OpenAI-compatible decoder reads an event that is the kept chunk frame around new content
// where it lies, without the SSE decoder's lines (ChunkReader::read_event). Fed a byte at a
// time no event is ever whole in one read, so every event goes through the SSE decoder: the
// reference each other split is held to.
#include <gtest/gtest.h>

#include "llmrt/sdk/error.h"
#include "support/contains.h"
#include "support/event_text.h"
#include "support/load_plugin.h"

namespace llmrt::framed_events_test {
namespace {

std::vector<std::string> decode(const std::vector<std::string>& reads,
                                const DecoderLimits& limits = {}) {
  return test::decode_reads(*test::load_plugin("openai"), ChatRequest{}, reads, limits);
}

std::string chunk(const std::string& content_json, const std::string& id = "c1") {
  return R"({"id":")" + id +
         R"(","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":)" +
         content_json + R"(},"finish_reason":null}]})";
}

std::string event(const std::string& content_json) {
  return "data: " + chunk(content_json) + "\n\n";
}

TEST(FramedEvents, ReadAsTheSseDecoderReadsThemInEverySplit) {
  const std::string body =
      event(R"("Hel")") + event(R"("lo")") + event(R"(" w\"o\u00e9\n")") +
      event(R"("")") +                         // empty content: no event
      "id: 7\n" + event(R"("after an id")") +  // a field line, then a frame
      ": keep-alive\n\n" + event(R"("after a comment")") + "data:" + chunk(R"("no space")") +
      "\n\n" +                                               // other framings,
      "data: " + chunk(R"("crlf")") + "\r\n\r\n" +           // the same data
      "data: " + chunk(R"("two lines")") + "\ndata: \n\n" +  // data "<chunk>\n"
      "data: " + chunk(R"("other id")", "c2") + "\n\n" +     // another string in a hole
      event(R"("back")") + event(R"("tail \u0041")") +
      "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
      "data: [DONE]\n\n" +
      event(R"("after done")");
  const std::vector<std::string> expected = {"content:Hel",
                                             "content:lo",
                                             "content: w\"o\xC3\xA9\n",
                                             "content:after an id",
                                             "content:after a comment",
                                             "content:no space",
                                             "content:crlf",
                                             "content:two lines",
                                             "content:other id",
                                             "content:back",
                                             "content:tail A",
                                             "finish:stop",
                                             "done"};
  for (const auto& reads : test::splits_of(body, 0)) {
    ASSERT_EQ(decode(reads), expected) << "split into " << reads.size() << " reads";
  }
}

// An event the server names `error` is one even when its data is the kept frame: whether the
// `event:` line comes before the data line or after it, in the same read or another.
TEST(FramedEvents, AnEventNamedErrorIsAnErrorInEverySplit) {
  const std::string start = event(R"("Hel")") + event(R"("lo")");
  for (const std::string& body :
       {start + "event: error\n" + event(R"("not content")"),
        start + "data: " + chunk(R"("not content")") + "\nevent: error\n\n"}) {
    for (const auto& reads : test::splits_of(body, 0)) {
      const std::vector<std::string> events = decode(reads);
      ASSERT_EQ(events.size(), 3u) << "split into " << reads.size() << " reads";
      EXPECT_EQ(events[1], "content:lo");
      EXPECT_EQ(events[2].rfind("error:", 0), 0u) << events[2];
    }
  }
}

// A framed event longer than the event limit is refused as the SSE decoder refuses it, not
// read because it matched.
TEST(FramedEvents, OneOverTheEventLimitIsRefusedInEverySplit) {
  const std::string fits = event(R"("short")");
  const std::string body = fits + fits + event('"' + std::string(200, 'a') + '"');
  const DecoderLimits limits{.max_event_bytes = fits.size() + 20};
  for (const auto& reads : test::splits_of(body, 0)) {
    try {
      decode(reads, limits);
      FAIL() << "expected the limit, split into " << reads.size() << " reads";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::protocol);
      EXPECT_TRUE(test::contains(e.what(), "longer than the limit of")) << e.what();
    }
  }
}

// An event with no data at all after a frame was kept is no chunk, as before one was kept.
TEST(FramedEvents, AnEmptyEventAfterAFrameIsMalformedInEverySplit) {
  for (const char* empty : {"data: \n\n", "data:\n\n", "data\n\n"}) {
    const std::string body = event(R"("Hel")") + event(R"("lo")") + empty + event(R"("more")");
    for (const auto& reads : test::splits_of(body, 0)) {
      try {
        decode(reads);
        FAIL() << "expected a malformed event, split into " << reads.size() << " reads";
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::protocol);
        EXPECT_TRUE(test::contains(e.what(), "malformed stream event")) << e.what();
      }
    }
  }
}

// A frame kept from data that spanned two data lines holds a line break: the same bytes in one
// data line of a later event are two lines to the SSE decoder, and read as two.
TEST(FramedEvents, AFrameWithALineBreakIsNotLookedForInTheBytes) {
  const std::string head = R"({"choices":[{"index":0,"delta":{"content":)";
  const std::string bodies[] = {
      "data: " + head + R"("a"}})" + "\ndata: ]}\n\n" + "data: " + head + R"("b"}})" + "\n]}\n\n",
      "data:\ndata: " + head + R"("a"}}]})" + "\n\n" + "data: \n" + head + R"("b"}}]})" + "\n\n"};
  for (const std::string& body : bodies) {
    for (const auto& reads : test::splits_of(body, 0)) {
      try {
        decode(reads);
        FAIL() << "expected a malformed event, split into " << reads.size() << " reads";
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
      }
    }
  }
}

}  // namespace
}  // namespace llmrt::framed_events_test
