#include "llmrt/sdk/json_limits.h"

#include <gtest/gtest.h>

#include <string>

namespace llmrt {
namespace {

TEST(FindExcessNesting, OffsetOfTheBracketThatOpensOneLevelTooMany) {
  EXPECT_EQ(find_excess_nesting("[[1]]", 2), std::nullopt);
  EXPECT_EQ(find_excess_nesting("[[[1]]]", 2), std::optional<std::size_t>(2));
  EXPECT_EQ(find_excess_nesting(R"({"a":[{"b":1}]})", 2), std::optional<std::size_t>(6));
  EXPECT_EQ(find_excess_nesting(std::string(kMaxJsonDepth, '[')), std::nullopt);
  EXPECT_EQ(find_excess_nesting(std::string(300000, '{')),
            std::optional<std::size_t>(kMaxJsonDepth));
  // Siblings do not add up: depth is the nesting, not the count.
  EXPECT_EQ(find_excess_nesting("[[1],[2],[[3]]]", 3), std::nullopt);
}

TEST(FindExcessNesting, BracketsInStringsDoNotCountAndEscapesAreRespected) {
  EXPECT_EQ(find_excess_nesting(R"(["[[[[", "{{{{"])", 1), std::nullopt);
  EXPECT_EQ(find_excess_nesting(R"(["\"[[[["])", 1), std::nullopt);
  // An escaped backslash ends before the quote: the quote closes the string.
  EXPECT_EQ(find_excess_nesting(R"(["\\", [])", 1), std::optional<std::size_t>(7));
  EXPECT_EQ(find_excess_nesting(R"(["\\\"[", [])", 1), std::optional<std::size_t>(10));
  // An unterminated string hides the rest, as it does from a parser.
  EXPECT_EQ(find_excess_nesting(R"(["abc [[[[)", 1), std::nullopt);
}

TEST(FindExcessNesting, ExtraClosersNeverHideLaterNesting) {
  EXPECT_EQ(find_excess_nesting("]]]][[[", 2), std::optional<std::size_t>(6));
}

TEST(TextPosition, LineAndColumnFromOne) {
  EXPECT_EQ(text_position("ab\ncd", 0).line, 1u);
  EXPECT_EQ(text_position("ab\ncd", 4).line, 2u);
  EXPECT_EQ(text_position("ab\ncd", 4).column, 2u);
  EXPECT_EQ(text_position("ab", 99).column, 3u);
}

}  // namespace
}  // namespace llmrt
