// The watchdog's promises: an alarm fires once, never before its time, never after it was
// disarmed or the watchdog stopped; a disarm that meets the action running waits for it; alarms
// armed from many threads at once (in different shards, some in the same) each keep them; and
// an arm after the thread went idle wakes it.
#include "http/watchdog.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <set>
#include <thread>
#include <vector>

namespace llmrt::core {
namespace {

using namespace std::chrono_literals;
using Clock = Watchdog::Clock;

// Waits until `done` holds, for at most `limit`.
template <class F>
bool eventually(F done, std::chrono::milliseconds limit = 5s) {
  const Clock::time_point end = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() > end) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(Watchdog, AnAlarmFiresOnceAndNotBeforeItsTime) {
  Watchdog watchdog;
  std::atomic<int> fired{0};
  std::atomic<Clock::rep> at{0};
  const Clock::time_point when = Clock::now() + 40ms;
  const std::uint64_t id = watchdog.arm(when, [&] {
    at = Clock::now().time_since_epoch().count();
    ++fired;
  });
  EXPECT_NE(id, 0U);
  ASSERT_TRUE(eventually([&] { return fired.load() > 0; }));
  EXPECT_GE(at.load(), when.time_since_epoch().count());
  std::this_thread::sleep_for(60ms);  // past two ticks: it does not fire again
  EXPECT_EQ(fired.load(), 1);
  EXPECT_TRUE(watchdog.disarm(id));  // ran
}

TEST(Watchdog, ADisarmedAlarmNeverFires) {
  Watchdog watchdog;
  std::atomic<bool> fired{false};
  const std::uint64_t id = watchdog.arm(Clock::now() + 30ms, [&] { fired = true; });
  EXPECT_FALSE(watchdog.disarm(id));
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(fired.load());
}

TEST(Watchdog, ADisarmThatMeetsTheActionRunningWaitsForItsEnd) {
  Watchdog watchdog;
  std::atomic<bool> entered{false};
  std::atomic<bool> finished{false};
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  const std::uint64_t id = watchdog.arm(Clock::now(), [&, released] {
    entered = true;
    released.wait();
    finished = true;
  });
  ASSERT_TRUE(eventually([&] { return entered.load(); }));
  std::atomic<bool> returned{false};
  bool ran = false;
  bool finished_at_return = false;
  std::thread disarming([&] {
    ran = watchdog.disarm(id);
    finished_at_return = finished.load();
    returned = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(returned.load()) << "disarm() returned while the action ran";
  release.set_value();
  disarming.join();
  EXPECT_TRUE(ran);
  EXPECT_TRUE(finished_at_return);
}

// More threads than shards, so some share one: every alarm left armed fires exactly once, none
// disarmed fires (each is due a second after it is armed and disarmed at once), and no two ids
// are the same.
TEST(Watchdog, AlarmsFromManyThreadsEachFireOnceUnlessDisarmed) {
  Watchdog watchdog;
  constexpr int kThreads = 40;
  constexpr int kEach = 50;
  constexpr int kAll = kThreads * kEach;
  auto fired = std::make_unique<std::atomic<int>[]>(kAll);
  std::vector<std::uint64_t> ids(kAll);
  std::vector<char> disarm_ran(kAll, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const int n = t * kEach + i;
        const bool keep = n % 2 == 0;
        ids[n] = watchdog.arm(Clock::now() + std::chrono::milliseconds(keep ? n % 60 : 1000),
                              [&fired, n] { ++fired[n]; });
        if (!keep) disarm_ran[n] = static_cast<char>(watchdog.disarm(ids[n]));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(std::set<std::uint64_t>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_EQ(std::count(ids.begin(), ids.end(), 0U), 0);
  EXPECT_EQ(std::count(disarm_ran.begin(), disarm_ran.end(), 1), 0);
  // Every alarm was armed before the joins: 1.1 s later each is past its time and a tick.
  const Clock::time_point past_all = Clock::now() + 1100ms;
  ASSERT_TRUE(eventually([&] {
    for (int n = 0; n < kAll; n += 2) {
      if (fired[n].load() == 0) return false;
    }
    return true;
  }));
  std::this_thread::sleep_until(past_all);
  for (int n = 0; n < kAll; ++n) {
    EXPECT_EQ(fired[n].load(), n % 2 == 0 ? 1 : 0) << "alarm " << n;
  }
}

// The thread sleeps with no deadline after 2 s without an alarm: the next arm must wake it.
TEST(Watchdog, AnArmAfterTheThreadWentIdleWakesIt) {
  Watchdog watchdog;
  watchdog.disarm(watchdog.arm(Clock::now() + 1h, [] {}));
  std::this_thread::sleep_for(2200ms);
  std::atomic<bool> fired{false};
  const Clock::time_point armed = Clock::now();
  watchdog.arm(armed, [&] { fired = true; });
  ASSERT_TRUE(eventually([&] { return fired.load(); }, 2s));
}

TEST(Watchdog, NoAlarmFiresAfterStop) {
  Watchdog watchdog;
  std::atomic<bool> fired{false};
  watchdog.arm(Clock::now() + 30ms, [&] { fired = true; });
  watchdog.stop();
  std::this_thread::sleep_for(80ms);
  EXPECT_FALSE(fired.load());
}

}  // namespace
}  // namespace llmrt::core
