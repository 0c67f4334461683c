#include "http/watchdog.h"

namespace llmrt::core {

Watchdog& Watchdog::instance() {
  static Watchdog watchdog;  // started on first use, joined at exit
  return watchdog;
}

Watchdog::Watchdog() : thread_([this] { run(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

std::uint64_t Watchdog::arm(Clock::time_point when, std::function<void()> fire) {
  std::lock_guard lock(mutex_);
  std::uint64_t id = next_id_++;
  bool earliest = alarms_.empty() || when < alarms_.begin()->first;
  alarms_.emplace(when, Alarm{id, std::move(fire)});
  when_.emplace(id, when);
  if (earliest) changed_.notify_all();
  return id;
}

bool Watchdog::disarm(std::uint64_t id) {
  std::unique_lock lock(mutex_);
  if (auto it = when_.find(id); it != when_.end()) {
    auto [first, last] = alarms_.equal_range(it->second);
    for (auto a = first; a != last; ++a) {
      if (a->second.id == id) {
        alarms_.erase(a);
        break;
      }
    }
    when_.erase(it);
    return false;
  }
  done_.wait(lock, [&] { return running_ != id; });
  return true;
}

void Watchdog::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (alarms_.empty()) {
      changed_.wait(lock);
      continue;
    }
    auto due = alarms_.begin();
    if (Clock::time_point when = due->first; when > Clock::now()) {
      // A copy: disarm() may erase the alarm, and its key with it, while this waits.
      changed_.wait_until(lock, when);
      continue;
    }
    Alarm alarm = std::move(due->second);
    alarms_.erase(due);
    when_.erase(alarm.id);
    running_ = alarm.id;
    lock.unlock();
    try {
      alarm.fire();
    } catch (...) {
      // An action that fails has nothing left to do; the watchdog serves the others.
    }
    lock.lock();
    running_ = 0;
    done_.notify_all();
  }
}

}  // namespace llmrt::core
