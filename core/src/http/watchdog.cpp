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
// Spare nodes kept for reuse: enough for the calls in flight at once in a busy process, a few
// KiB at most.
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
  spare_.reserve(kMaxSpareNodes);
  thread_ = std::thread([this] { run(); });
}

Watchdog::~Watchdog() { stop(); }

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

// Held across fork(): the alarms are copied whole, never mid-change.
void Watchdog::before_fork() { mutex_.lock(); }

void Watchdog::after_fork(bool child) {
  if (child) {
    // The parent's thread is not here; the condition variables may count it as a waiter (and
    // would wait for it when destroyed); the alarms are the parent's calls'. Each is left as it
    // is, unused: what an alarm holds must not be destroyed here either (a socket's last
    // reference would shut TLS down on the parent's connection).
    new (&changed_) std::condition_variable;
    new (&done_) std::condition_variable;
    new (&thread_) std::thread;
    parents_alarms_.push_back(std::move(alarms_));
    alarms_.clear();
    when_.clear();
    running_ = 0;
    sleeping_ = false;
  }
  mutex_.unlock();
}

std::uint64_t Watchdog::arm(Clock::time_point when, std::function<void()> fire) {
  std::lock_guard lock(mutex_);
  // In a fork's child, before the alarm is added: when no thread can be started, nothing is
  // left behind that would fire later.
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  std::uint64_t id = next_id_++;
  if (spare_.empty()) {
    // The id first: an alarm that failed to be added then leaves nothing that could fire.
    auto known = when_.emplace(id, when).first;
    try {
      alarms_.emplace(when, Alarm{id, std::move(fire)});
    } catch (...) {
      when_.erase(known);
      throw;
    }
  } else {
    SpareNodes nodes = std::move(spare_.back());
    spare_.pop_back();
    nodes.alarm.key() = when;
    nodes.alarm.mapped() = Alarm{id, std::move(fire)};
    alarms_.insert(std::move(nodes.alarm));
    nodes.when.key() = id;
    nodes.when.mapped() = when;
    when_.insert(std::move(nodes.when));
  }
  last_armed_ = Clock::now();
  if (sleeping_) changed_.notify_all();  // only the idle thread needs waking: a ticking one looks
  return id;
}

bool Watchdog::disarm(std::uint64_t id) {
  std::unique_lock lock(mutex_);
  if (auto it = when_.find(id); it != when_.end()) {
    auto [first, last] = alarms_.equal_range(it->second);
    for (auto a = first; a != last; ++a) {
      if (a->second.id == id) {
        auto alarm = alarms_.extract(a);
        alarm.mapped().fire = nullptr;  // what it captured goes now, not at the next arm()
        if (spare_.size() < kMaxSpareNodes) {
          spare_.push_back({std::move(alarm), when_.extract(it)});
        } else {
          when_.erase(it);
        }
        return false;
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
    Clock::time_point now = Clock::now();
    if (alarms_.empty() || alarms_.begin()->first > now) {
      if (alarms_.empty() && now - last_armed_ > kIdleAfter) {
        sleeping_ = true;
        changed_.wait(lock);
        sleeping_ = false;
      } else {
        // A copy: disarm() may erase the earliest alarm, and its key with it, while this waits.
        Clock::time_point wake = now + kTick;
        if (!alarms_.empty()) wake = std::min(wake, alarms_.begin()->first);
        changed_.wait_until(lock, wake);
      }
      continue;
    }
    auto due = alarms_.begin();
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
