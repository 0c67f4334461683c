#include <gtest/gtest.h>

#include "llmrt/core/stop_word_filter.h"
#include "support/event_text.h"

namespace llmrt::core {
namespace {

struct Outcome {
  std::string text;
  bool stopped = false;
  bool operator==(const Outcome&) const = default;
};

Outcome run(const std::vector<std::string>& stops, const std::vector<std::string>& pieces) {
  StopWordFilter filter(stops);
  Outcome o;
  for (const std::string& p : pieces) {
    if (filter.push(p, o.text)) {
      o.stopped = true;
      return o;
    }
  }
  o.stopped = filter.finish(o.text);
  return o;
}

// The reference: cut the whole text at the first occurrence of any stop word.
Outcome reference(const std::vector<std::string>& stops, const std::string& text) {
  std::size_t at = find_first_stop(text, stops);
  if (at == std::string::npos) return {text, false};
  return {text.substr(0, at), true};
}

TEST(StopWordFilter, CutsAtTheFirstOccurrenceWhereverChunksSplit) {
  const std::vector<std::vector<std::string>> stop_sets{
      {"<|im_end|>"}, {"\n\n", "END"}, {"abcd", "bc"}, {"aab"}, {"x"}};
  const std::vector<std::string> texts{"Hello<|im_end|>tail",
                                       "one\ntwo\n\nthree END",
                                       "zabcdz",
                                       "aaab",
                                       "abc",
                                       "no stop here",
                                       "x at start",
                                       "<|im_end",
                                       "aa"};
  for (const auto& stops : stop_sets) {
    for (const std::string& text : texts) {
      for (const auto& pieces : test::splits_of(text, 24)) {
        ASSERT_EQ(run(stops, pieces), reference(stops, text))
            << "text '" << text << "' stops[0] '" << stops[0] << "' in " << pieces.size()
            << " pieces";
      }
    }
  }
}

TEST(StopWordFilter, ReleasesTextNotPossiblyAStopWordAtOnce) {
  StopWordFilter filter({"STOP"});
  std::string out;
  EXPECT_FALSE(filter.push("Hello ST", out));
  EXPECT_EQ(out, "Hello ");
  EXPECT_EQ(filter.pending(), "ST");
  EXPECT_FALSE(filter.push("AR", out));
  EXPECT_EQ(out, "Hello STAR");
}

TEST(StopWordFilter, NoStopWordsPassesEverythingThrough) {
  EXPECT_EQ(run({}, {"a", "b"}), (Outcome{"ab", false}));
}

}  // namespace
}  // namespace llmrt::core
