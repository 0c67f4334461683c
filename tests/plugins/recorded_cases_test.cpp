// The shipped plugins' recorded streams (tests/data/<plugin>: the bodies as on the wire, their
// golden --events lines, a request where the decoder needs one) run by the plugin kit on the
// real plugins: whole, one byte at a time and split at every offset. `llmrt test-plugin` runs
// the same folders (ctest plugins.test_plugin.*).
#include <gtest/gtest.h>

#include "llmrt/kit/cases.h"
#include "llmrt/kit/replay.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

std::string dir_of(const std::string& plugin) {
  return std::string(LLMRT_TEST_DATA_DIR) + "/" + plugin;
}

class RecordedCases : public ::testing::TestWithParam<std::string> {};

TEST_P(RecordedCases, EveryCaseGivesItsGoldenEventsInEverySplit) {
  auto provider = test::load_plugin(GetParam());
  const std::vector<std::string> names = kit::case_names(dir_of(GetParam()));
  ASSERT_GE(names.size(), 3u);
  for (const std::string& name : names) {
    kit::CaseOutcome outcome = kit::run_case(*provider, dir_of(GetParam()), name);
    EXPECT_TRUE(outcome.passed) << outcome.difference;
  }
}

INSTANTIATE_TEST_SUITE_P(Shipped, RecordedCases,
                         ::testing::Values("openai", "qwen", "internlm", "gemini", "ollama"));

std::vector<std::string> raw_events(const std::string& plugin, const std::string& file) {
  kit::RecordedResponse response{.request = {.stream = true},
                                 .body = test::read_data(plugin + "/" + file)};
  return kit::replay(*test::load_plugin(plugin), response, {response.body}).raw_lines;
}

// The --events lines do not show whether a stream ended with the provider's end marker or only
// with a finish reason: the decoders' own events do.
TEST(RecordedCases, CompleteStreamsEndWithTheEndMarker) {
  for (auto [plugin, file] :
       std::vector<std::pair<std::string, std::string>>{{"openai", "basic.sse"},
                                                        {"openai", "tool_calls.sse"},
                                                        {"openai", "reasoning_crlf.sse"},
                                                        {"openai", "null_and_other_choices.sse"},
                                                        {"qwen", "native_incremental.sse"},
                                                        {"qwen", "native_reasoning.sse"},
                                                        {"internlm", "stream.sse"},
                                                        {"ollama", "text_stream.ndjson"},
                                                        {"ollama", "tool_calls_stream.ndjson"}}) {
    EXPECT_EQ(raw_events(plugin, file).back(), R"({"type":"done"})") << plugin << "/" << file;
  }
}

// Fragments of two calls interleaved, as the server sent them, before they are assembled.
TEST(RecordedCases, OpenAiToolCallFragmentsKeepTheirOrderAndIndex) {
  EXPECT_EQ(
      raw_events("openai", "tool_calls.sse"),
      (std::vector<std::string>{
          R"({"type":"tool_call_delta","index":0,"id":"call_w","name":"get_weather","arguments":""})",
          R"({"type":"tool_call_delta","index":1,"id":"call_t","name":"get_time","arguments":""})",
          R"({"type":"tool_call_delta","index":0,"id":"","name":"","arguments":"{\"city\": "})",
          R"({"type":"tool_call_delta","index":1,"id":"","name":"","arguments":"{\"tz\": \"UTC\"}"})",
          R"({"type":"tool_call_delta","index":0,"id":"","name":"","arguments":"\"Paris\"}"})",
          R"({"type":"finish","reason":"tool_calls","raw":"tool_calls"})", R"({"type":"done"})"}));
}

}  // namespace
}  // namespace llmrt
