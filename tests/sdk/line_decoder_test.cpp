#include <gtest/gtest.h>

#include "llmrt/sdk/sse.h"
#include "support/event_text.h"

namespace llmrt {
namespace {

std::vector<std::string> lines(const std::vector<std::string>& reads) {
  LineDecoder decoder;
  std::vector<std::string> out;
  auto collect = [&](std::string_view line) { out.emplace_back(line); };
  for (const std::string& r : reads) decoder.feed(r, collect);
  decoder.finish(collect);
  return out;
}

TEST(LineDecoder, EveryLineEndingAtEverySplit) {
  const std::string body = "a\nb\r\nc\rd\r\n\re";
  const std::vector<std::string> expected{"a", "b", "c", "d", "", "e"};
  for (const auto& reads : test::splits_of(body)) EXPECT_EQ(lines(reads), expected);
}

TEST(LineDecoder, FinishFlushesTheLastUnterminatedLine) {
  EXPECT_EQ(lines({"{\"done\":true}"}), std::vector<std::string>{"{\"done\":true}"});
}

TEST(LineDecoder, TrailingCrAtEndOfStreamEndsTheLine) {
  EXPECT_EQ(lines({"x\r"}), std::vector<std::string>{"x"});
}

TEST(LineDecoder, LoneBomPrefixIsKeptAsData) {
  EXPECT_EQ(lines({"\xEF"}), std::vector<std::string>{"\xEF"});
  EXPECT_EQ(lines({"\xEF\xBBz\n"}), std::vector<std::string>{"\xEF\xBBz"});
}

TEST(LineDecoder, EmptyInputGivesNothing) { EXPECT_TRUE(lines({"", ""}).empty()); }

}  // namespace
}  // namespace llmrt
