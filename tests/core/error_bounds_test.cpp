#include "diagnostics/error_bounds.h"

#include <gtest/gtest.h>

#include <string>

namespace llmrt::core {
namespace {

TEST(ErrorBounds, ATextThatFitsIsKeptToTheByte) {
  EXPECT_EQ(bounded(std::string(100, 'a'), 100), std::string(100, 'a'));
  EXPECT_EQ(bounded("", 10), "");
}

TEST(ErrorBounds, ALongerTextIsCutWithTheCountLeftOut) {
  const std::string cut = bounded(std::string(101, 'a') + "b", 100);
  EXPECT_LE(cut.size(), 100u);
  const std::string note = "… (" + std::to_string(102 - cut.find("…")) + " bytes more)";
  EXPECT_EQ(cut, std::string(cut.find("…"), 'a') + note);
}

TEST(ErrorBounds, CuttingTwiceCutsOnce) {
  const std::string once = bounded(std::string(5'000'000, 'x'), kMaxErrorMessageBytes);
  EXPECT_LE(once.size(), kMaxErrorMessageBytes);
  EXPECT_EQ(bounded(once, kMaxErrorMessageBytes), once);
}

// Two-byte characters: wherever the count falls, no character is split.
TEST(ErrorBounds, TheCutFallsBetweenCharacters) {
  std::string text;
  for (int i = 0; i < 400; ++i) text += "\xC3\xA9";  // é
  for (std::size_t max = 60; max < 70; ++max) {
    const std::string cut = bounded(text, max);
    const std::size_t kept = cut.find("… (");
    ASSERT_NE(kept, std::string::npos) << max;
    EXPECT_EQ(kept % 2, 0u) << max << ": " << cut;
    EXPECT_EQ(cut.substr(kept), "… (" + std::to_string(800 - kept) + " bytes more)") << max;
  }
}

// Text that is not UTF-8, a run of continuation bytes where the cut falls: cut there after
// three steps back, not emptied.
TEST(ErrorBounds, ARunOfContinuationBytesIsCutWhereItFalls) {
  const std::string cut = bounded("ab" + std::string(10'000, '\x80'), 100);
  const std::size_t kept = cut.find("… (");
  ASSERT_NE(kept, std::string::npos);
  EXPECT_EQ(cut.substr(0, 2), "ab");
  EXPECT_GE(kept, 100u - 3 - std::string("… (10002 bytes more)").size());
}

}  // namespace
}  // namespace llmrt::core
