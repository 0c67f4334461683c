// The batch's cross-thread lock for on_item: taken on one thread, given back on another, and
// one holder at a time however many threads want it.
#include "async/handoff_lock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <latch>
#include <thread>
#include <vector>

namespace llmrt::core {
namespace {

TEST(HandoffLock, IsGivenBackByAnotherThreadThanTheOneThatTookIt) {
  HandoffLock lock;
  std::thread([&] { lock.lock(); }).join();
  EXPECT_FALSE(lock.try_lock());  // still held: its taker has ended
  lock.unlock();
  EXPECT_TRUE(lock.try_lock());
  std::thread([&] { lock.unlock(); }).join();
  EXPECT_TRUE(lock.try_lock());
  lock.unlock();
}

TEST(HandoffLock, AWaiterIsWokenWhenAThirdThreadGivesItBack) {
  HandoffLock lock;
  lock.lock();
  std::promise<void> taken;
  std::thread waiter([&] {
    lock.lock();
    taken.set_value();
  });
  // The waiter cannot have it while it is held (asked after it has had time to wait).
  std::future<void> done = taken.get_future();
  EXPECT_EQ(done.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
  std::thread([&] { lock.unlock(); }).join();
  // A liveness bound, not a speed target: a lost wake-up would wait for ever.
  EXPECT_EQ(done.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  waiter.join();
  EXPECT_FALSE(lock.try_lock());  // the waiter holds it now
  lock.unlock();
}

// The mark "waited for" is one bit for any number of sleepers, and a give-back clears it: each
// sleeper must still be woken in turn, by the give-back of the one before it.
TEST(HandoffLock, EverySleeperGetsItInTurnAfterOneGiveBack) {
  HandoffLock lock;
  lock.lock();
  constexpr int kSleepers = 3;
  int turns = 0;  // guarded by the lock
  std::vector<std::thread> sleepers;
  for (int t = 0; t < kSleepers; ++t) {
    sleepers.emplace_back([&] {
      lock.lock();
      ++turns;
      lock.unlock();
    });
  }
  // Time to fall asleep in lock() (not required for the test to pass, only for it to test
  // sleeping rather than spinning waiters).
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::thread([&] { lock.unlock(); }).join();
  // A lost wake-up leaves a sleeper for ever: ctest's timeout then fails the test.
  for (std::thread& t : sleepers) t.join();
  EXPECT_EQ(turns, kSleepers);
  EXPECT_TRUE(lock.try_lock());
  lock.unlock();
}

TEST(HandoffLock, HasOneHolderAtATimeUnderContention) {
  HandoffLock lock;
  constexpr int kThreads = 4;
  constexpr int kRounds = 100'000;
  long counter = 0;  // guarded by the lock alone: ThreadSanitizer watches it too
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  std::latch start(kThreads);  // all at once, not one after the other as they are made
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < kRounds; ++i) {
        lock.lock();
        if (inside.fetch_add(1) != 0) overlapped = true;
        ++counter;
        inside.fetch_sub(1);
        lock.unlock();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(counter, static_cast<long>(kThreads) * kRounds);
  EXPECT_FALSE(overlapped.load());
}

}  // namespace
}  // namespace llmrt::core
