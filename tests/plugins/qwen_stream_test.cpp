// The qwen plugin's decoder needs the request to read a recorded DashScope stream right. The
// recordings (tests/data/qwen) are kit cases: recorded_cases_test.cpp.
#include <gtest/gtest.h>

#include "support/event_text.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

enum class QwenFlavour { incremental, cumulative, compatible };

ChatRequest qwen_request_for(QwenFlavour f) {
  ChatRequest r;
  r.stream = true;
  if (f == QwenFlavour::cumulative) r.params.extras["incremental_output"] = "false";
  if (f == QwenFlavour::compatible) r.options["mode"] = "compatible";
  return r;
}

TEST(QwenStream, CumulativeReplayedAsIncrementalWouldRepeatText) {
  // The decoder must know the mode: this is why it comes from the request.
  std::string body = test::read_data("qwen/native_cumulative.sse");
  auto events = test::decode_reads(*test::load_plugin("qwen"),
                                   qwen_request_for(QwenFlavour::incremental), {body});
  EXPECT_EQ(events[1], "content:Hello! How can I help?");
}

}  // namespace
}  // namespace llmrt
