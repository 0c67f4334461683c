#include "http/watchdog.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <new>

namespace llmrt::core {
namespace {

// While alarms come and go, the thread looks at them this often rather than being woken for
// each: a call arms and disarms a few per request, and a wake-up per arm cost more client CPU
// than the request itself. An alarm fires at most this late.
constexpr std::chrono::milliseconds kTick{25};
// Idle this long with no alarm, the thread sleeps until the next arm() wakes it.
constexpr std::chrono::seconds kIdleAfter{2};
// Spare nodes a shard keeps for reuse: enough for the calls in flight at once on a busy thread,
// a few KiB at most.
constexpr std::size_t kMaxSpareNodes = 64;

// The process's watchdog: made on first use and never destroyed, since a fork may come at any
// moment, during exit too. Making it and a fork exclude each other (no child can start with
// it half made), and the fork handlers are registered when the library is loaded, not on
// first use.
std::mutex g_making;
std::atomic<Watchdog*> g_watchdog{nullptr};

void before_fork() {
  g_making.lock();
  if (Watchdog* w = g_watchdog.load(std::memory_order_acquire)) w->before_fork();
}

void after_fork(bool child) {
  if (Watchdog* w = g_watchdog.load(std::memory_order_acquire)) w->after_fork(child);
  g_making.unlock();
}

[[maybe_unused]] const int g_fork_handlers = ::pthread_atfork(
    &before_fork, [] { after_fork(false); }, [] { after_fork(true); });

// At exit the thread is stopped and joined (the object stays): a process should not end with
// a thread of a library still running (ThreadSanitizer waits a second for such a process). Made
// when the library is loaded, before the watchdog, so destroyed after anything made later.
struct StopAtExit {
  StopAtExit() = default;
  StopAtExit(const StopAtExit&) = delete;
  StopAtExit& operator=(const StopAtExit&) = delete;
  ~StopAtExit() {
    if (Watchdog* w = g_watchdog.load(std::memory_order_acquire)) w->stop();
  }
} g_stop_at_exit;

}  // namespace

Watchdog& Watchdog::instance() {
  if (Watchdog* w = g_watchdog.load(std::memory_order_acquire)) return *w;
  std::lock_guard lock(g_making);
  if (g_watchdog.load(std::memory_order_relaxed) == nullptr) {
    g_watchdog.store(new Watchdog, std::memory_order_release);
  }
  return *g_watchdog.load(std::memory_order_relaxed);
}

Watchdog::Watchdog() {
  // Room for every spare node now: disarm() then never allocates, so it cannot throw.
  for (Shard& shard : shards_) shard.spare.reserve(kMaxSpareNodes);
  start_thread();
}

Watchdog::~Watchdog() { stop(); }

void Watchdog::start_thread() {
  std::lock_guard lock(mutex_);
  if (started_.load(std::memory_order_relaxed)) return;
  thread_ = std::thread([this] { run(); });
  started_.store(true, std::memory_order_release);
}

void Watchdog::stop() {
  std::thread thread;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  changed_.notify_all();
  if (thread.joinable()) thread.join();  // a fork's child may never have started one
}

// Held across fork(): the alarms are copied whole, never mid-change. The thread's lock first,
// as everywhere.
void Watchdog::before_fork() {
  mutex_.lock();
  for (Shard& shard : shards_) shard.mutex.lock();
}

void Watchdog::after_fork(bool child) {
  if (child) {
    // The parent's thread is not here; the condition variables may count it as a waiter (and
    // would wait for it when destroyed); the alarms are the parent's calls'. Each is left as it
    // is, unused: what an alarm holds must not be destroyed here either (a socket's last
    // reference would shut TLS down on the parent's connection).
    new (&changed_) std::condition_variable;
    new (&thread_) std::thread;
    started_.store(false, std::memory_order_relaxed);
    sleeping_.store(false, std::memory_order_relaxed);
    woken_ = false;
    for (Shard& shard : shards_) {
      new (&shard.done) std::condition_variable;
      // Only those that hold alarms: an allocation that failed here would end the child.
      if (!shard.alarms.empty()) shard.parents_alarms.push_back(std::move(shard.alarms));
      shard.alarms.clear();
      shard.when.clear();
      shard.running = 0;
    }
  }
  for (Shard& shard : shards_) shard.mutex.unlock();
  mutex_.unlock();
}

Watchdog::Shard& Watchdog::own_shard() {
  // Given on a thread's first arm, in turn: the loops of a batch, started together, get
  // shards of their own.
  thread_local unsigned index = kShards;
  if (index == kShards) index = next_shard_.fetch_add(1, std::memory_order_relaxed) % kShards;
  return shards_[index];
}

std::uint64_t Watchdog::arm(Clock::time_point when, std::function<void()> fire) {
  // In a fork's child, before the alarm is added: when no thread can be started, nothing is
  // left behind that would fire later.
  if (!started_.load(std::memory_order_acquire)) start_thread();
  Shard& shard = own_shard();
  std::uint64_t id = 0;
  {
    std::lock_guard lock(shard.mutex);
    id = shard.next_id++ << kShardBits | static_cast<std::uint64_t>(&shard - shards_.data());
    if (shard.spare.empty()) {
      // The id first: an alarm that failed to be added then leaves nothing that could fire.
      auto known = shard.when.emplace(id, when).first;
      try {
        shard.alarms.emplace(when, Alarm{id, std::move(fire)});
      } catch (...) {
        shard.when.erase(known);
        throw;
      }
    } else {
      SpareNodes nodes = std::move(shard.spare.back());
      shard.spare.pop_back();
      nodes.alarm.key() = when;
      nodes.alarm.mapped() = Alarm{id, std::move(fire)};
      shard.alarms.insert(std::move(nodes.alarm));
      nodes.when.key() = id;
      nodes.when.mapped() = when;
      shard.when.insert(std::move(nodes.when));
    }
    ++shard.arms;
  }
  // Only the idle thread needs waking: a ticking one looks. The thread says it sleeps before
  // it looks at the shards a last time, and this looks after adding: one of the two sees the
  // other.
  if (sleeping_.load()) {
    std::lock_guard lock(mutex_);
    woken_ = true;
    changed_.notify_all();
  }
  return id;
}

bool Watchdog::disarm(std::uint64_t id) {
  Shard& shard = shards_[id & (kShards - 1)];
  std::unique_lock lock(shard.mutex);
  if (auto it = shard.when.find(id); it != shard.when.end()) {
    auto [first, last] = shard.alarms.equal_range(it->second);
    for (auto a = first; a != last; ++a) {
      if (a->second.id == id) {
        auto alarm = shard.alarms.extract(a);
        // What it captured goes now, not at the next arm(), and outside the lock: a destructor
        // that armed or disarmed would wait for it.
        const std::function<void()> gone = std::move(alarm.mapped().fire);
        alarm.mapped().fire = nullptr;
        if (shard.spare.size() < kMaxSpareNodes) {
          shard.spare.push_back({std::move(alarm), shard.when.extract(it)});
        } else {
          shard.when.erase(it);
        }
        lock.unlock();
        return false;
      }
    }
    shard.when.erase(it);
    return false;
  }
  shard.done.wait(lock, [&] { return shard.running != id; });
  return true;
}

bool Watchdog::fire_due(Clock::time_point now, Clock::time_point& next, bool& any,
                        std::uint64_t& arms) {
  bool fired = false;
  for (Shard& shard : shards_) {
    std::unique_lock lock(shard.mutex);
    arms += shard.arms;
    if (shard.alarms.empty()) continue;
    any = true;
    auto due = shard.alarms.begin();
    if (due->first > now) {
      next = std::min(next, due->first);
      continue;
    }
    Alarm alarm = std::move(due->second);
    shard.alarms.erase(due);
    shard.when.erase(alarm.id);
    shard.running = alarm.id;
    lock.unlock();
    try {
      alarm.fire();
    } catch (...) {
      // An action that fails has nothing left to do; the watchdog serves the others.
    }
    alarm.fire = nullptr;  // what it captured goes outside the lock, as in disarm()
    lock.lock();
    shard.running = 0;
    shard.done.notify_all();
    fired = true;
  }
  return fired;
}

bool Watchdog::all_empty() {
  return std::all_of(shards_.begin(), shards_.end(), [](Shard& shard) {
    std::lock_guard lock(shard.mutex);
    return shard.alarms.empty();
  });
}

void Watchdog::run() {
  std::uint64_t arms_seen = 0;
  Clock::time_point last_arm = Clock::now();
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    const Clock::time_point now = Clock::now();
    Clock::time_point next = now + kTick;
    bool any = false;
    std::uint64_t arms = 0;
    if (fire_due(now, next, any, arms)) continue;  // another may be due by now
    if (arms != arms_seen) {
      arms_seen = arms;
      last_arm = now;
    }
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    if (any || now - last_arm <= kIdleAfter) {
      changed_.wait_until(lock, next, [&] { return stopping_; });
      continue;
    }
    sleeping_.store(true);
    if (all_empty()) changed_.wait(lock, [&] { return stopping_ || woken_; });
    woken_ = false;
    sleeping_.store(false);
  }
}

}  // namespace llmrt::core
