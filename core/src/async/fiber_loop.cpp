#include "async/fiber_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <boost/context/fiber.hpp>
#include <boost/context/preallocated.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>

#include "async/fiber_switch.h"

namespace llmrt::core {
namespace {

namespace ctx = boost::context;
using Clock = std::chrono::steady_clock;

// As much as a thread of its own would have: a call's stack use does not change with how it
// is run (a plugin parsing a deeply nested reply, say). Only the pages touched are memory.
constexpr std::size_t kStackBytes = std::size_t{8} << 20;

thread_local FiberLoop* t_loop = nullptr;
std::atomic<std::uint64_t> g_loops{0};

// What wakes a waiter whatever it waits for: the socket's end or an error.
constexpr std::uint32_t kEnds = EPOLLERR | EPOLLHUP | EPOLLRDHUP;
// What makes a socket never quiet again (FiberLoop::quiet_since): its end, an error, or TCP
// urgent data, at whose mark a receive stops early, so that a short read no longer means the
// socket was emptied.
constexpr std::uint32_t kSuspect = kEnds | EPOLLPRI;
// Events one epoll_wait hands out at most; one that returns fewer has handed out every edge
// from before it began.
constexpr int kMaxEvents = 64;
// Full epoll_waits in a row after which the fibers waiting for a turn go on without one (and
// ask their sockets): under a load that fills every wait, a turn may never end.
constexpr int kMostFullWaits = 4;

[[noreturn]] void fail(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

struct FiberLoop::Task {
  enum class State { ready, running, waiting_fd, waiting_helper, waiting_turn, parked, done };

  ctx::fiber self;
  ctx::fiber scheduler;
  std::function<void()> work;
  State state = State::ready;
  FiberSwitch::Stack stack;
  int fd = -1;          // the socket it waits for
  unsigned events = 0;  // and for what
  bool timed_out = false;
  bool has_timer = false;
  using Timers = std::multimap<Clock::time_point, Task*>;
  Timers::iterator timer;
  // The node of its last timer, for the next wait to reuse: a call waits with a timeout once
  // or twice per request, and a node allocated and freed each time showed in the profile.
  Timers::node_type spare_timer;
};

struct FiberLoop::Impl {
  std::uint64_t id = ++g_loops;
  int epfd = -1;
  std::vector<Task*> waiting;  // by file descriptor
  // Edges of sockets while nobody waited for them: the next wait returns at once (edge
  // triggered, they are not reported again).
  std::vector<std::uint32_t> seen;
  // Whether epoll reported an end, an error or urgent data (kSuspect) for a socket since it
  // was registered, waited for or not.
  std::vector<char> suspect;
  // epoll_waits that handed out every edge from before they began (fewer than kMaxEvents).
  std::uint64_t turns = 0;
  std::vector<Task*> turn_waiters;  // for the next one
  int full_waits = 0;               // in a row
  int wakefd = -1;                  // a helper's job is done
  std::deque<Task*> ready;
  Task::Timers timers;
  std::vector<std::unique_ptr<Task>> tasks;
  Task* running = nullptr;
  std::size_t live = 0;
  std::exception_ptr failure;
  FiberSwitch switcher;

  // Helper threads: at least as many as jobs given to them and not yet done, so that no job
  // waits behind another (a backoff of seconds behind a connect).
  struct Job {
    const std::function<void()>* work;
    Task* task;
    std::exception_ptr* error;
  };
  std::mutex mutex;
  std::condition_variable jobs_ready;
  std::deque<Job> jobs;
  std::vector<Task*> finished;  // done jobs' tasks, for the loop to wake
  std::size_t pending = 0;      // jobs given and not yet done
  bool stopping = false;
  std::vector<std::thread> helpers;

  void set_timer(Task* t, Clock::time_point when) {
    if (t->spare_timer.empty()) {
      t->timer = timers.emplace(when, t);
    } else {
      t->spare_timer.key() = when;
      t->timer = timers.insert(std::move(t->spare_timer));
    }
    t->has_timer = true;
  }
  void drop_timer(Task* t) {
    t->spare_timer = timers.extract(t->timer);
    t->has_timer = false;
  }

  // Registered here, and epoll has reported no input for `fd` that nobody took and never its
  // end, an error or urgent data (each of which sets `suspect` as well as `seen`).
  bool nothing_reported(int fd, const Registration& registration) const {
    const auto slot = static_cast<std::size_t>(fd);
    return registration.loop == id && slot < seen.size() && !suspect[slot] &&
           (seen[slot] & EPOLLIN) == 0;
  }

  void suspend(Task::State state) {
    Task* t = running;
    t->state = state;
    switcher.to_scheduler(t->stack);
    t->scheduler = std::move(t->scheduler).resume();
    switcher.arrived_on(t->stack);
  }

  void helper_main() {
    std::unique_lock lock(mutex);
    while (true) {
      jobs_ready.wait(lock, [&] { return stopping || !jobs.empty(); });
      if (jobs.empty()) return;  // stopping
      Job job = jobs.front();
      jobs.pop_front();
      lock.unlock();
      try {
        (*job.work)();
      } catch (...) {
        *job.error = std::current_exception();
      }
      lock.lock();
      finished.push_back(job.task);
      --pending;
      const std::uint64_t one = 1;
      // An eventfd write of 1 fails only when the counter would overflow: never here.
      [[maybe_unused]] ssize_t n = ::write(wakefd, &one, sizeof one);
    }
  }

  void resume(Task* t) {
    running = t;
    t->state = Task::State::running;
    switcher.to_fiber(t->stack);
    t->self = std::move(t->self).resume();
    switcher.back_on_scheduler(t->stack);
    running = nullptr;
    if (!t->self) {
      t->state = Task::State::done;
      switcher.release(t->stack);
      --live;
    }
  }

  void wake_finished() {
    std::uint64_t count = 0;
    [[maybe_unused]] ssize_t n = ::read(wakefd, &count, sizeof count);
    std::vector<Task*> done;
    {
      std::lock_guard lock(mutex);
      done.swap(finished);
    }
    for (Task* t : done) {
      if (t->state == Task::State::waiting_helper) {
        t->state = Task::State::ready;
        ready.push_back(t);
      }
    }
  }
};

FiberLoop::FiberLoop() : impl_(std::make_unique<Impl>()) {
  impl_->epfd = ::epoll_create1(EPOLL_CLOEXEC);
  if (impl_->epfd < 0) fail("epoll_create1");
  impl_->wakefd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (impl_->wakefd < 0) {
    ::close(impl_->epfd);
    fail("eventfd");
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = impl_->wakefd;
  if (::epoll_ctl(impl_->epfd, EPOLL_CTL_ADD, impl_->wakefd, &ev) != 0) {
    ::close(impl_->wakefd);
    ::close(impl_->epfd);
    fail("epoll_ctl");
  }
}

FiberLoop::~FiberLoop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->jobs_ready.notify_all();
  for (std::thread& t : impl_->helpers) t.join();
  ::close(impl_->wakefd);
  ::close(impl_->epfd);
}

FiberLoop* FiberLoop::current() noexcept { return t_loop; }

std::uint64_t FiberLoop::id() const noexcept { return impl_->id; }

void FiberLoop::spawn(std::function<void()> work) {
  impl_->tasks.reserve(impl_->tasks.size() + 1);
  auto task = std::make_unique<Task>();
  Task* t = task.get();
  t->work = std::move(work);
  ctx::protected_fixedsize_stack allocator(kStackBytes);
  ctx::stack_context stack = allocator.allocate();
  t->stack = impl_->switcher.new_stack(stack.sp, stack.size);
  t->self = ctx::fiber(std::allocator_arg, ctx::preallocated(stack.sp, stack.size, stack),
                       allocator, [this, t](ctx::fiber&& scheduler) {
                         t->scheduler = std::move(scheduler);
                         impl_->switcher.arrived_on(t->stack);
                         try {
                           t->work();
                         } catch (...) {
                           if (!impl_->failure) impl_->failure = std::current_exception();
                         }
                         impl_->switcher.leaving_for_good(t->stack);
                         return std::move(t->scheduler);
                       });
  impl_->tasks.push_back(std::move(task));  // reserved: does not throw
  try {
    impl_->ready.push_back(t);
  } catch (...) {
    // Never started: destroying it does not run `work`.
    impl_->switcher.release(t->stack);
    impl_->tasks.pop_back();
    throw;
  }
  ++impl_->live;
}

void FiberLoop::run() {
  FiberLoop* outer = t_loop;
  t_loop = this;
  Impl& s = *impl_;
  s.switcher.enter_scheduler();
  epoll_event events[kMaxEvents];
  while (s.live > 0) {
    while (!s.ready.empty()) {
      Task* t = s.ready.front();
      s.ready.pop_front();
      s.resume(t);
    }
    if (s.live == 0) break;
    int timeout = -1;
    if (!s.turn_waiters.empty()) {
      timeout = 0;  // they wait for epoll to be asked, not for anything it may report
    } else if (!s.timers.empty()) {
      auto left =
          std::chrono::ceil<std::chrono::milliseconds>(s.timers.begin()->first - Clock::now());
      timeout = static_cast<int>(std::clamp<long long>(left.count(), 0, INT_MAX));
    }
    int n = ::epoll_wait(s.epfd, events, kMaxEvents, timeout);
    if (n < 0) {
      if (errno == EINTR) continue;
      // Only a broken epoll descriptor fails here; the fibers cannot be unwound from outside.
      std::terminate();
    }
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == s.wakefd) {
        s.wake_finished();
        continue;
      }
      const auto slot = static_cast<std::size_t>(fd);
      if ((events[i].events & kSuspect) != 0) s.suspect[slot] = true;
      Task* t = s.waiting[slot];
      if (t == nullptr || (events[i].events & (t->events | kEnds)) == 0) {
        s.seen[slot] |= events[i].events;
        continue;
      }
      s.waiting[slot] = nullptr;
      // What it did not wait for stays seen: a writer woken with the answer already in
      // (EPOLLIN with EPOLLOUT) gets no second edge for it.
      s.seen[slot] = events[i].events & ~(t->events | kEnds);
      if (t->has_timer) s.drop_timer(t);
      t->state = Task::State::ready;
      s.ready.push_back(t);
    }
    // A full batch may have left edges in the kernel: the turn is over when one call returns
    // fewer (the next is at once, as turn waiters ask for no timeout).
    s.full_waits = n < kMaxEvents ? 0 : s.full_waits + 1;
    if (n < kMaxEvents) ++s.turns;
    if (n < kMaxEvents || s.full_waits >= kMostFullWaits) {
      for (Task* t : s.turn_waiters) {
        t->state = Task::State::ready;
        s.ready.push_back(t);
      }
      s.turn_waiters.clear();
    }
    const auto now = Clock::now();
    while (!s.timers.empty() && s.timers.begin()->first <= now) {
      Task* t = s.timers.begin()->second;
      s.drop_timer(t);
      s.waiting[static_cast<std::size_t>(t->fd)] = nullptr;
      t->timed_out = true;
      t->state = Task::State::ready;
      s.ready.push_back(t);
    }
  }
  s.tasks.clear();
  t_loop = outer;
  if (s.failure) std::rethrow_exception(std::exchange(s.failure, nullptr));
}

bool FiberLoop::wait(int fd, Registration& registration, unsigned events,
                     std::chrono::milliseconds timeout) {
  Impl& s = *impl_;
  Task* t = s.running;
  // Sized before the socket is registered: every edge epoll reports has its slot.
  const auto slot = static_cast<std::size_t>(fd);
  if (slot >= s.waiting.size()) {
    s.waiting.resize(slot + 1, nullptr);
    s.seen.resize(slot + 1, 0);
    s.suspect.resize(slot + 1, false);
  }
  if (registration.loop != s.id) {
    // Edge triggered, for reading and writing at once: no system call per wait. A socket used
    // by another loop before is registered there too; that loop ignores its edges.
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLPRI | EPOLLET;
    ev.data.fd = fd;
    if (::epoll_ctl(s.epfd, EPOLL_CTL_ADD, fd, &ev) != 0 &&
        (errno != EEXIST || ::epoll_ctl(s.epfd, EPOLL_CTL_MOD, fd, &ev) != 0)) {
      fail("epoll_ctl");
    }
    registration.loop = s.id;
    s.seen[slot] = 0;
    s.suspect[slot] = false;
  }
  if ((s.seen[slot] & (events | kEnds)) != 0) {
    s.seen[slot] = 0;  // it may be ready: the caller tries
    return true;
  }
  s.waiting[slot] = t;
  t->fd = fd;
  t->events = events;
  t->timed_out = false;
  if (timeout.count() >= 0) s.set_timer(t, Clock::now() + timeout);
  s.suspend(Task::State::waiting_fd);
  return !t->timed_out;
}

void FiberLoop::next_turn() {
  Impl& s = *impl_;
  s.turn_waiters.push_back(s.running);
  s.suspend(Task::State::waiting_turn);
}

FiberLoop::QuietMark FiberLoop::mark_quiet(int fd,
                                           const Registration& registration) const noexcept {
  const Impl& s = *impl_;
  if (!s.nothing_reported(fd, registration)) return {};
  return {.loop = s.id, .turn = s.turns};
}

bool FiberLoop::quiet_since(int fd, const Registration& registration, QuietMark mark) {
  Impl& s = *impl_;
  auto quiet = [&] { return mark.loop == s.id && s.nothing_reported(fd, registration); };
  if (!quiet()) return false;
  // Fibers run between two epoll_waits: a turn counted after the mark's is a wait that began
  // after it. A connection given back and taken again within a turn waits for the next one,
  // which the loop's other calls share, instead of asking its socket.
  if (s.turns == mark.turn) next_turn();
  return s.turns > mark.turn && quiet();
}

void FiberLoop::run_on_helper(const std::function<void()>& work) {
  Impl& s = *impl_;
  std::exception_ptr error;
  {
    std::unique_lock lock(s.mutex);
    if (s.pending + 1 > s.helpers.size()) {
      try {
        s.helpers.reserve(s.helpers.size() + 1);
        s.helpers.emplace_back([&s] { s.helper_main(); });
      } catch (const std::exception&) {
        // No thread to be had. With a helper at all, the job waits for it (run here, a wait
        // for room in a rate budget could wait for permits only the loop's other fibers can
        // give back); with none, it runs here and the loop waits.
        if (s.helpers.empty()) {
          lock.unlock();
          work();
          return;
        }
      }
    }
    s.jobs.push_back({&work, s.running, &error});
    ++s.pending;
  }
  s.jobs_ready.notify_one();
  s.suspend(Task::State::waiting_helper);
  if (error) std::rethrow_exception(error);
}

FiberLoop::Task* FiberLoop::self() const noexcept { return impl_->running; }

void FiberLoop::park() { impl_->suspend(Task::State::parked); }

void FiberLoop::wake(Task* task) {
  if (task->state != Task::State::parked) return;
  task->state = Task::State::ready;
  impl_->ready.push_back(task);
}

void FiberMutex::lock() {
  FiberLoop* loop = FiberLoop::current();
  while (locked_) {
    waiters_.push_back(loop->self());
    loop->park();
  }
  locked_ = true;
}

void FiberMutex::unlock() {
  locked_ = false;
  if (!waiters_.empty()) {
    FiberLoop::Task* next = waiters_.front();
    waiters_.erase(waiters_.begin());
    FiberLoop::current()->wake(next);
  }
}

}  // namespace llmrt::core
