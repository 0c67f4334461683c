#include <gtest/gtest.h>

#include <map>
#include <random>

#include "llmrt/sdk/chat_result_builder.h"

namespace llmrt {
namespace {

TEST(ChatResultBuilder, AssemblesToolCallFragmentsByIndex) {
  ChatResultBuilder b;
  b.add(ToolCallDelta{0, "call_a", "get_weather", ""});
  b.add(ToolCallDelta{1, "call_b", "get_time", ""});
  b.add(ToolCallDelta{0, "", "", "{\"city\":"});
  b.add(ToolCallDelta{1, "", "", "{}"});
  b.add(ToolCallDelta{0, "", "", "\"Paris\"}"});
  const auto& calls = b.result().tool_calls;
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].id, "call_a");
  EXPECT_EQ(calls[0].name, "get_weather");
  EXPECT_EQ(calls[0].arguments, "{\"city\":\"Paris\"}");
  EXPECT_EQ(calls[1].name, "get_time");
  EXPECT_EQ(calls[1].arguments, "{}");
}

TEST(ChatResultBuilder, KeepsCallsOrderedWhateverTheArrivalOrder) {
  ChatResultBuilder b;
  b.add(ToolCallDelta{2, "c", "n2", ""});
  b.add(ToolCallDelta{0, "a", "n0", ""});
  ASSERT_EQ(b.result().tool_calls.size(), 2u);
  EXPECT_EQ(b.result().tool_calls[0].index, 0);
  EXPECT_EQ(b.result().tool_calls[1].index, 2);
}

TEST(ChatResultBuilder, AppendsTextAndKeepsLastFinishAndUsage) {
  ChatResultBuilder b;
  b.add(ReasoningDelta{"think "});
  b.add(ContentDelta{"Hel"});
  b.add(ContentDelta{"lo"});
  b.add(FinishEvent{FinishReason::length, "length"});
  b.add(UsageEvent{{1, 2, 3}});
  EXPECT_EQ(b.result().content, "Hello");
  EXPECT_EQ(b.result().reasoning, "think ");
  EXPECT_EQ(b.result().finish_reason, FinishReason::length);
  EXPECT_EQ(b.result().finish_reason_raw, "length");
  ASSERT_TRUE(b.result().usage);
  EXPECT_EQ(b.result().usage->total_tokens, 3);
}

// Fragments in any order, result() taken at any time: the same calls as a plain map would
// hold, ordered by index, each with its fragments joined in arrival order.
TEST(ChatResultBuilder, AnyOrderAndAnyReadingGiveTheCallsByIndex) {
  std::mt19937 random(12);
  for (int round = 0; round < 50; ++round) {
    ChatResultBuilder b;
    std::map<std::int64_t, std::string> expected;
    for (int i = 0; i < 200; ++i) {
      std::int64_t index = static_cast<std::int64_t>(random() % 40) - 20;
      std::string piece(1, static_cast<char>('a' + random() % 26));
      b.add(ToolCallDelta{.index = index, .arguments = piece});
      expected[index] += piece;
      if (random() % 7 == 0) {
        ASSERT_EQ(b.result().tool_calls.size(), expected.size());
      }
    }
    const auto& calls = b.result().tool_calls;
    ASSERT_EQ(calls.size(), expected.size());
    std::size_t i = 0;
    for (const auto& [index, arguments] : expected) {
      EXPECT_EQ(calls[i].index, index);
      EXPECT_EQ(calls[i].arguments, arguments);
      ++i;
    }
  }
}

}  // namespace
}  // namespace llmrt
