#include "llmrt/core/cancel_token.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace llmrt::core {
namespace {

TEST(CancelToken, RunsEveryInterruptRegistered) {
  CancelToken token;
  int first = 0;
  int second = 0;
  CancelToken::Subscription a = token.on_cancel([&] { ++first; });
  CancelToken::Subscription b = token.on_cancel([&] { ++second; });
  token.cancel();
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 1);
  EXPECT_TRUE(token.cancelled());
}

TEST(CancelToken, AReleasedSubscriptionLeavesTheOthersInPlace) {
  // What a stream's retry does: the old attempt's interrupt goes, the new one must stay.
  CancelToken token;
  int old_attempt = 0;
  int new_attempt = 0;
  CancelToken::Subscription old_one = token.on_cancel([&] { ++old_attempt; });
  CancelToken::Subscription new_one = token.on_cancel([&] { ++new_attempt; });
  old_one.reset();
  token.cancel();
  EXPECT_EQ(old_attempt, 0);
  EXPECT_EQ(new_attempt, 1);
}

TEST(CancelToken, AFreedPlaceIsTakenAgainAndTheOthersStay) {
  // A call in flight holds one subscription at a time; a shared token holds more. Whichever ends,
  // the rest stay and a later one comes in its place.
  CancelToken token;
  int ran[4] = {};
  CancelToken::Subscription first = token.on_cancel([&] { ++ran[0]; });
  CancelToken::Subscription second = token.on_cancel([&] { ++ran[1]; });
  CancelToken::Subscription third = token.on_cancel([&] { ++ran[2]; });
  second.reset();
  first.reset();
  CancelToken::Subscription fourth = token.on_cancel([&] { ++ran[3]; });
  token.cancel();
  EXPECT_EQ(ran[0], 0);
  EXPECT_EQ(ran[1], 0);
  EXPECT_EQ(ran[2], 1);
  EXPECT_EQ(ran[3], 1);
}

TEST(CancelToken, SubscribingAfterCancelInterruptsAtOnce) {
  CancelToken token;
  token.cancel();
  int ran = 0;
  CancelToken::Subscription s = token.on_cancel([&] { ++ran; });
  EXPECT_EQ(ran, 1);
}

TEST(CancelToken, WaitEndsWhenCancelledFromAnotherThread) {
  CancelToken token;
  std::thread canceller([&] { token.cancel(); });
  EXPECT_TRUE(token.wait_for(std::chrono::minutes(1)));
  canceller.join();
}

TEST(CancelToken, SubscriptionsComeAndGoWhileAnotherThreadCancels) {
  CancelToken token;
  std::atomic<int> ran{0};
  std::thread worker([&] {
    for (int i = 0; i < 10000; ++i) {
      CancelToken::Subscription s = token.on_cancel([&] { ++ran; });
    }
  });
  token.cancel();
  worker.join();
  EXPECT_GE(ran.load(), 0);  // no crash, no interrupt after its subscription ended (TSan)
  CancelToken::Subscription late = token.on_cancel([&] { ran = -1; });
  EXPECT_EQ(ran.load(), -1);
}

}  // namespace
}  // namespace llmrt::core
