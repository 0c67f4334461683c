// The reset durations of OpenAI's rate-limit headers.
#include "routing/reset_duration.h"

#include <gtest/gtest.h>

namespace llmrt::core {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

TEST(ResetDuration, GoDurationsAsOpenAIWritesThem) {
  EXPECT_EQ(parse_reset_duration("1s"), seconds(1));
  EXPECT_EQ(parse_reset_duration("6m0s"), minutes(6));
  EXPECT_EQ(parse_reset_duration("120ms"), milliseconds(120));
  EXPECT_EQ(parse_reset_duration("2.5s"), milliseconds(2500));
  EXPECT_EQ(parse_reset_duration("1h2m3s"), hours(1) + minutes(2) + seconds(3));
  EXPECT_EQ(parse_reset_duration("1m30.5s"), milliseconds(90'500));
  EXPECT_EQ(parse_reset_duration("20us"), microseconds(20));
  EXPECT_EQ(parse_reset_duration("20\xC2\xB5s"), microseconds(20));
  EXPECT_EQ(parse_reset_duration("15ns"), nanoseconds(15));
  EXPECT_EQ(parse_reset_duration("0s"), nanoseconds(0));
  EXPECT_EQ(parse_reset_duration(" 1s\t"), seconds(1));
}

TEST(ResetDuration, ABareNumberIsSeconds) {
  EXPECT_EQ(parse_reset_duration("7"), seconds(7));
  EXPECT_EQ(parse_reset_duration("0.25"), milliseconds(250));
}

TEST(ResetDuration, AnythingElseIsNotRead) {
  for (const char* garbage : {"", " ", "s", "ms", "-1s", "+1s", "1x", "1s2", "abc", "1..2s", "1e3",
                              "1e3s", "1 s", "s1", "1sm", "25h", "100000000000"}) {
    EXPECT_EQ(parse_reset_duration(garbage), std::nullopt) << '"' << garbage << '"';
  }
}

}  // namespace
}  // namespace llmrt::core
