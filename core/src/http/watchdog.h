#pragma once

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
  // 25 ms, late); it must be quick.
  std::uint64_t arm(Clock::time_point when, std::function<void()> fire);
  // Cancels an alarm; when its action is running, waits for it to end. Returns true when the
  // action ran (or is done running).
  bool disarm(std::uint64_t id);

  // Ends the thread: no alarm fires after this (the destructor, and instance()'s at exit).
  void stop();

  // The fork handlers of instance()'s watchdog: its lock held across fork(); in the child, the
  // parent's alarms dropped unfired and a thread of its own started at the next arm().
  void before_fork();
  void after_fork(bool child);

 private:
  void run();

  struct Alarm {
    std::uint64_t id;
    std::function<void()> fire;
  };

  std::mutex mutex_;
  std::condition_variable changed_;
  std::condition_variable done_;
  std::multimap<Clock::time_point, Alarm> alarms_;
  std::map<std::uint64_t, Clock::time_point> when_;  // armed ids → their key in alarms_
  // In a fork's child, the parent's alarms: kept unfired and never destroyed (what they hold is
  // the parent's; the watchdog itself is never destroyed).
  std::vector<decltype(alarms_)> parents_alarms_;
  // The nodes of disarmed alarms, for the next arm() to reuse: a call arms and disarms one or
  // two per request, and two allocations and two frees each time showed in its profile.
  struct SpareNodes {
    decltype(alarms_)::node_type alarm;
    decltype(when_)::node_type when;
  };
  std::vector<SpareNodes> spare_;
  std::uint64_t next_id_ = 1;
  std::uint64_t running_ = 0;
  Clock::time_point last_armed_;
  bool sleeping_ = false;  // waiting with no deadline: arm() must wake it
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace llmrt::core
