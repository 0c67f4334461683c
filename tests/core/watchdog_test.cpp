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

// disarm() says whether the action ran: false, and it never runs; true, and it is done. (Due
// 300 ms on, it has not run unless this thread stood still that long: then it must say so.)
TEST(Watchdog, ADisarmedAlarmNeverFires) {
  Watchdog watchdog;
  std::atomic<bool> fired{false};
  const std::uint64_t id = watchdog.arm(Clock::now() + 300ms, [&] { fired = true; });
  const bool ran = watchdog.disarm(id);
  EXPECT_EQ(fired.load(), ran);
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(fired.load(), ran);
}

// Disarmed from another thread than the one that armed it (whose shard it is in).
TEST(Watchdog, AnotherThreadDisarmsIt) {
  Watchdog watchdog;
  std::atomic<bool> fired{false};
  std::uint64_t id = 0;
  std::thread([&] { id = watchdog.arm(Clock::now() + 300ms, [&] { fired = true; }); }).join();
  const bool ran = watchdog.disarm(id);
  EXPECT_EQ(fired.load(), ran);
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(fired.load(), ran);
}

TEST(Watchdog, ADisarmThatMeetsTheActionRunningWaitsForItsEnd) {
  // Shared with the action: it may outlive this test's frame when an assertion ends it early.
  struct State {
    std::atomic<bool> entered{false};
    std::atomic<bool> finished{false};
    std::promise<void> release;
  };
  auto state = std::make_shared<State>();
  std::shared_future<void> released = state->release.get_future().share();
  Watchdog watchdog;
  const std::uint64_t id = watchdog.arm(Clock::now(), [state, released] {
    state->entered = true;
    released.wait();
    state->finished = true;
  });
  struct Release {
    std::shared_ptr<State> state;
    ~Release() {
      try {
        state->release.set_value();
      } catch (const std::future_error&) {
        // Already released.
      }
    }
  } release_at_end{state};
  ASSERT_TRUE(eventually([&] { return state->entered.load(); }));
  std::atomic<bool> returned{false};
  bool ran = false;
  bool finished_at_return = false;
  std::thread disarming([&] {
    ran = watchdog.disarm(id);
    finished_at_return = state->finished.load();
    returned = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(returned.load()) << "disarm() returned while the action ran";
  state->release.set_value();
  disarming.join();
  EXPECT_TRUE(ran);
  EXPECT_TRUE(finished_at_return);
}

// More threads than shards, so some share one: every alarm left armed fires exactly once, one
// disarmed (due a second after it is armed, and disarmed at once) only if disarm() said it ran,
// and no two ids are the same.
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
        if (keep) continue;
        disarm_ran[n] = static_cast<char>(watchdog.disarm(ids[n]));
        // True only for an action done by then.
        if (disarm_ran[n] != 0 && fired[n].load() == 0) disarm_ran[n] = 2;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(std::set<std::uint64_t>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_EQ(std::count(ids.begin(), ids.end(), 0U), 0);
  EXPECT_EQ(std::count(disarm_ran.begin(), disarm_ran.end(), 2), 0)
      << "disarm() said an action ran that had not";
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
    EXPECT_EQ(fired[n].load(), n % 2 == 0 ? 1 : disarm_ran[n]) << "alarm " << n;
  }
}

// The thread sleeps with no deadline after 2 s without an alarm: the next arm must wake it.
TEST(Watchdog, AnArmAfterTheThreadWentIdleWakesIt) {
  Watchdog watchdog;
  watchdog.disarm(watchdog.arm(Clock::now() + 1h, [] {}));
  std::this_thread::sleep_for(3s);  // idle after 2 s, and a second's margin for a loaded machine
  std::atomic<bool> fired{false};
  const Clock::time_point armed = Clock::now();
  watchdog.arm(armed, [&] { fired = true; });
  ASSERT_TRUE(eventually([&] { return fired.load(); }, 2s));
}

TEST(Watchdog, NoAlarmFiresAfterStop) {
  Watchdog watchdog;
  std::atomic<bool> stopped{false};
  std::atomic<bool> fired_after{false};
  watchdog.arm(Clock::now() + 50ms, [&] { fired_after = stopped.load(); });
  watchdog.stop();
  stopped = true;
  std::this_thread::sleep_for(150ms);
  EXPECT_FALSE(fired_after.load());
}

}  // namespace
}  // namespace llmrt::core
