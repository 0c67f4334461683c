// What a call costs: each token priced once, at its own rate when it has one.
#include <gtest/gtest.h>

#include "llmrt/core/price.h"

namespace llmrt::core {
namespace {

TEST(Price, PromptAndCompletionAtInputAndOutputPerMillion) {
  Usage usage{.prompt_tokens = 1000, .completion_tokens = 500, .total_tokens = 1500};
  EXPECT_DOUBLE_EQ(cost_of(usage, Price{.input = 2.5, .output = 10}), 0.0075);
}

TEST(Price, NoTokensCostNothing) {
  EXPECT_DOUBLE_EQ(cost_of(Usage{}, Price{.input = 2.5, .output = 10}), 0);
}

TEST(Price, CacheReadsAreTheCachedPartOfThePrompt) {
  Usage usage{.prompt_tokens = 1000, .completion_tokens = 0, .cache_read_tokens = 400};
  // 600 uncached at 2, 400 cached at 0.5.
  EXPECT_DOUBLE_EQ(cost_of(usage, Price{.input = 2, .output = 8, .cached_input = 0.5}),
                   (600 * 2 + 400 * 0.5) / 1e6);
}

TEST(Price, CacheWritesHaveTheirOwnRate) {
  Usage usage{.prompt_tokens = 1000, .cache_read_tokens = 100, .cache_write_tokens = 300};
  Price price{.input = 3, .output = 15, .cached_input = 0.3, .cache_write = 3.75};
  EXPECT_DOUBLE_EQ(cost_of(usage, price), (600 * 3 + 100 * 0.3 + 300 * 3.75) / 1e6);
}

TEST(Price, CacheRatesDefaultToInput) {
  Usage usage{.prompt_tokens = 1000, .cache_read_tokens = 100, .cache_write_tokens = 300};
  EXPECT_DOUBLE_EQ(cost_of(usage, Price{.input = 3, .output = 15}), 1000 * 3 / 1e6);
}

TEST(Price, ReasoningIsPartOfTheCompletion) {
  Usage usage{.prompt_tokens = 0, .completion_tokens = 1000, .reasoning_tokens = 700};
  EXPECT_DOUBLE_EQ(cost_of(usage, Price{.input = 1, .output = 4, .reasoning = 6}),
                   (300 * 4 + 700 * 6) / 1e6);
  // Without a reasoning rate it is output.
  EXPECT_DOUBLE_EQ(cost_of(usage, Price{.input = 1, .output = 4}), 1000 * 4 / 1e6);
}

TEST(Price, PartsLargerThanTheirWholeNeverMakeTheRestNegative) {
  // A provider that counts its cache apart from the prompt: the cache tokens are still paid.
  Usage usage{.prompt_tokens = 100,
              .completion_tokens = 10,
              .cache_read_tokens = 500,
              .reasoning_tokens = 50};
  EXPECT_DOUBLE_EQ(cost_of(usage, Price{.input = 2, .output = 8, .cached_input = 1}),
                   (500 * 1 + 50 * 8) / 1e6);
}

}  // namespace
}  // namespace llmrt::core
