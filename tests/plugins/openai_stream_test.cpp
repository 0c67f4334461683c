// The OpenAI plugin's stream decoder on bytes that break the format. The recorded streams
// (tests/data/openai) are kit cases: recorded_cases_test.cpp.
#include <gtest/gtest.h>

#include "llmrt/sdk/error.h"
#include "support/event_text.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

std::vector<std::string> decode(const std::vector<std::string>& reads,
                                const DecoderLimits& limits = {}) {
  return test::decode_reads(*test::load_plugin("openai"), ChatRequest{}, reads, limits);
}

TEST(OpenAiStream, MalformedJsonIsAProtocolErrorQuotingTheEvent) {
  try {
    decode({"data: {\"choices\": [\n\n"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::protocol);
    EXPECT_NE(std::string(e.what()).find("{\"choices\": ["), std::string::npos) << e.what();
  }
}

TEST(OpenAiStream, OversizedEventIsAnErrorNotGrowth) {
  std::string huge = "data: {\"x\":\"" + std::string(4096, 'a') + "\"}\n\n";
  EXPECT_THROW(decode({huge}, DecoderLimits{1024}), Error);
}

}  // namespace
}  // namespace llmrt

namespace llmrt {
namespace {

// An event the server names `error` ends the stream as an error even when its data reads like
// a plain chunk: the fast chunk reader is not asked.
TEST(OpenAiStream, AnEventNamedErrorIsAnErrorWhateverItsData) {
  const std::vector<std::string> events =
      decode({"data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n"
              "event: error\ndata: {\"choices\":[{\"delta\":{\"content\":\"more\"}}]}\n\n"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0], "content:Hi");
  EXPECT_EQ(events[1].rfind("error:", 0), 0u) << events[1];
}

}  // namespace
}  // namespace llmrt
