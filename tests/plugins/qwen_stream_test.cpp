// Recorded DashScope streams (tests/data/qwen, bytes as on the wire) replayed through the real
// qwen plugin's decoders: whole, one byte at a time and split at every offset.
#include <gtest/gtest.h>

#include "support/event_text.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

enum class Flavour { incremental, cumulative, compatible };

ChatRequest request_for(Flavour f) {
  ChatRequest r;
  r.stream = true;
  if (f == Flavour::cumulative) r.params.extras["incremental_output"] = "false";
  if (f == Flavour::compatible) r.options["mode"] = "compatible";
  return r;
}

struct Recording {
  const char* file;
  Flavour flavour;
  std::vector<std::string> expected;
  friend void PrintTo(const Recording& r, std::ostream* os) { *os << r.file; }
};

class QwenRecording : public ::testing::TestWithParam<Recording> {};

TEST_P(QwenRecording, SameEventsForEverySplit) {
  const Recording& r = GetParam();
  std::string body = test::read_data(std::string("qwen/") + r.file);
  auto provider = test::load_plugin("qwen");
  for (const auto& reads : test::splits_of(body, 0)) {
    ASSERT_EQ(test::decode_reads(*provider, request_for(r.flavour), reads), r.expected)
        << r.file << " in " << reads.size() << " reads";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Recorded, QwenRecording,
    ::testing::Values(
        Recording{
            "native_incremental.sse",
            Flavour::incremental,
            {"content:Hello", "content:! How can I help?", "finish:stop", "usage:92/7/99", "done"}},
        // The same reply with each event repeating the text so far: the same deltas.
        Recording{
            "native_cumulative.sse",
            Flavour::cumulative,
            {"content:Hello", "content:! How can I help?", "finish:stop", "usage:92/7/99", "done"}},
        Recording{"native_reasoning.sse",
                  Flavour::incremental,
                  {"reasoning:The user greets", "reasoning: me.", "content:Hi!", "finish:length",
                   "usage:10/6/16", "done"}},
        Recording{"native_error.sse",
                  Flavour::incremental,
                  {"content:Part",
                   "error:content_filter|DataInspectionFailed|Output data may contain "
                   "inappropriate content."}},
        Recording{"compatible_error.sse",
                  Flavour::compatible,
                  {"content:Hi",
                   "error:content_filter|data_inspection_failed|Output data may contain "
                   "inappropriate content."}}),
    [](const auto& info) {
      std::string name = info.param.file;
      return name.substr(0, name.find('.'));
    });

TEST(QwenStream, CumulativeReplayedAsIncrementalWouldRepeatText) {
  // The decoder must know the mode: this is why it comes from the request.
  std::string body = test::read_data("qwen/native_cumulative.sse");
  auto events =
      test::decode_reads(*test::load_plugin("qwen"), request_for(Flavour::incremental), {body});
  EXPECT_EQ(events[1], "content:Hello! How can I help?");
}

}  // namespace
}  // namespace llmrt
