// Recorded OpenAI-style streams (tests/data/openai/*.sse, bytes as on the wire) replayed through
// the real plugin's decoder: whole, one byte at a time, and split at every offset.
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

struct Recording {
  const char* file;
  std::vector<std::string> expected;
  friend void PrintTo(const Recording& r, std::ostream* os) { *os << r.file; }
};

class OpenAiRecording : public ::testing::TestWithParam<Recording> {};

TEST_P(OpenAiRecording, SameEventsForEverySplit) {
  const Recording& r = GetParam();
  std::string body = test::read_data(std::string("openai/") + r.file);
  for (const auto& reads : test::splits_of(body, 0)) {
    ASSERT_EQ(decode(reads), r.expected) << r.file << " in " << reads.size() << " reads";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Recorded, OpenAiRecording,
    ::testing::Values(
        Recording{"basic.sse",
                  {"content:Hel", "content:lo, 世界", "finish:stop", "usage:79/11/90", "done"}},
        Recording{"tool_calls.sse",
                  {"tool:0|call_w|get_weather|", "tool:1|call_t|get_time|",
                   "tool:0|||{\"city\": ", "tool:1|||{\"tz\": \"UTC\"}", "tool:0|||\"Paris\"}",
                   "finish:tool_calls", "done"}},
        Recording{"reasoning_crlf.sse",
                  {"reasoning:Let me think", "reasoning: briefly.", "content:42", "finish:length",
                   "done"}},
        Recording{"stream_error.sse",
                  {"content:Partial ", "content:answer",
                   "error:server|server_error|The server had an error while processing your "
                   "request."}},
        Recording{"null_and_other_choices.sse", {"content:only", "finish:stop", "done"}}),
    [](const auto& info) {
      std::string name = info.param.file;
      return name.substr(0, name.find('.'));
    });

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
