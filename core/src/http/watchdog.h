#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace llmrt::core {

// Runs an action when a time comes, on one thread shared by the whole process. The transport
// arms it with "shut this socket down" at the end of each phase of a call, so that a deadline
// reaches inside every blocking wait — a connect, a TLS handshake, a proxy's CONNECT, headers
// trickled a byte at a time — which a per-read socket timeout cannot bound.
//
// The alarms are kept in shards, each with a lock of its own, and a thread arms in the shard it
// was given first: a call arms and disarms one alarm a request, and with one lock every event
// loop of a batch (one per core) took the same lock twice a request. Two threads arming and
// disarming at once made 1.4 M pairs/s with one lock, 32 M/s in shards (watchdog_bench.cpp).
//
// After fork() the child has none of the parent's threads: instance()'s watchdog then drops the
// parent's alarms unfired (they would shut down sockets the parent still uses) and starts a
// thread of its own at the next arm(). It is never destroyed; its thread is stopped at exit.
class Watchdog {
 public:
  using Clock = std::chrono::steady_clock;

  static Watchdog& instance();

  Watchdog();
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // `fire` runs on the watchdog's thread at `when` (at once when it is past, and at most a tick,
  // 25 ms, late); it must be quick. The id is never 0.
  std::uint64_t arm(Clock::time_point when, std::function<void()> fire);
  // Cancels an alarm; when its action is running, waits for it to end. Returns true when the
  // action ran (or is done running).
  bool disarm(std::uint64_t id);

  // Ends the thread: no alarm fires after this (the destructor, and instance()'s at exit).
  void stop();

  // The fork handlers of instance()'s watchdog: its locks held across fork(); in the child, the
  // parent's alarms dropped unfired and a thread of its own started at the next arm().
  void before_fork();
  void after_fork(bool child);

 private:
  struct Alarm {
    std::uint64_t id;
    std::function<void()> fire;
  };
  using Alarms = std::multimap<Clock::time_point, Alarm>;
  using Known = std::map<std::uint64_t, Clock::time_point>;  // armed ids → their key in alarms
  // The nodes of a disarmed alarm, for the next arm() to reuse: two allocations and two frees a
  // request showed in a call's profile.
  struct SpareNodes {
    Alarms::node_type alarm;
    Known::node_type when;
  };
  static constexpr unsigned kShardBits = 4;
  static constexpr unsigned kShards = 1U << kShardBits;
  // A cache line each: the loops arm in theirs without touching another's.
  struct alignas(64) Shard {
    std::mutex mutex;
    std::condition_variable done;  // running went back to 0
    Alarms alarms;
    Known when;
    std::vector<SpareNodes> spare;
    std::uint64_t next_id = 1;
    std::uint64_t running = 0;  // the id whose action is running
    std::uint64_t arms = 0;     // arm() calls so far: the thread idles when none came for a while
    // In a fork's child, the parent's alarms: kept unfired and never destroyed (what they hold
    // is the parent's; the watchdog itself is never destroyed).
    std::vector<Alarms> parents_alarms;
  };

  Shard& own_shard();
  void start_thread();
  void run();
  // Runs the first due alarm of each shard; true when one ran. `next` becomes the earliest
  // alarm not due, `any` whether any is armed, `arms` the count of arm() calls.
  bool fire_due(Clock::time_point now, Clock::time_point& next, bool& any, std::uint64_t& arms);
  bool all_empty();

  std::array<Shard, kShards> shards_;
  std::atomic<unsigned> next_shard_{0};
  // The thread's own lock: stopping, sleeping and waking it. Taken before a shard's, never
  // while one is held.
  std::mutex mutex_;
  std::condition_variable changed_;
  std::atomic<bool> started_{false};   // thread_ runs (false in a fork's child until an arm())
  std::atomic<bool> sleeping_{false};  // waiting with no deadline: arm() must wake it
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace llmrt::core
