#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace llmrt::core {

// Runs many calls on one thread, each on a fiber of its own: where a call would block on its
// socket, its fiber waits in epoll instead and the others run. A thread switch per response
// (and the cold caches after it) is what a thread per call costs at twenty calls and more.
// Whatever else blocks — connecting, a TLS exchange, waiting to retry or for room in a rate
// budget — runs on a helper thread while the fiber waits, so that no call holds up the others.
class FiberLoop {
 public:
  struct Task;

  FiberLoop();
  ~FiberLoop();
  FiberLoop(const FiberLoop&) = delete;
  FiberLoop& operator=(const FiberLoop&) = delete;

  // The loop running the calling fiber; nullptr anywhere else (a helper thread included).
  static FiberLoop* current() noexcept;
  // Unique among the process's loops, never 0.
  std::uint64_t id() const noexcept;

  // Starts `work` on a fiber of its own when run() next turns. Throws std::bad_alloc when no
  // stack can be had.
  void spawn(std::function<void()> work);
  // Runs the fibers until every one has returned, then rethrows the first exception one of
  // them let out.
  void run();

  // Which loop a socket is registered with: a socket is registered once per loop (edge
  // triggered), not once per wait. Kept by the socket's owner, zero for none.
  struct Registration {
    std::uint64_t loop = 0;
  };
  // Suspends the calling fiber until `fd` may have become ready for `events` (EPOLLIN,
  // EPOLLOUT; its end and errors count), or `timeout` passed (negative: no limit). False on
  // timeout. A wake may be early (an edge from before): the caller tries its call again.
  bool wait(int fd, Registration& registration, unsigned events, std::chrono::milliseconds timeout);

  // What epoll has said of a registered socket nobody waits for, so that a pooled connection
  // can be found clean without a system call of its own. A turn is an epoll_wait that handed
  // out every edge from before it began (it returned fewer events than it had room for). A
  // mark is taken when the connection goes idle; an empty one (loop 0) when epoll reported
  // input for it that nobody took, or ever reported its end, an error or urgent data, or it is
  // not registered here.
  struct QuietMark {
    std::uint64_t loop = 0;
    std::uint64_t turn = 0;
  };
  QuietMark mark_quiet(int fd, const Registration& registration) const noexcept;
  // True when a turn began after `mark` and epoll has reported neither input nor an end, an
  // error or urgent data for `fd` since: whatever arrived before that turn began, an edge
  // included, would have been. False when it cannot say (the caller asks the socket). On the
  // fiber of the mark's turn, waits for the next turn first (next_turn()).
  bool quiet_since(int fd, const Registration& registration, QuietMark mark);
  // Suspends the calling fiber until the loop's next turn has ended (its epoll_waits take no
  // timeout meanwhile: at once when nothing else is ready), or four epoll_waits in a row came
  // back full without ending one.
  void next_turn();

  // Runs `work` on a helper thread and suspends the calling fiber until it returns; its result
  // or exception is the caller's.
  template <class F>
  std::invoke_result_t<F&> run_blocking(F&& work) {
    using R = std::invoke_result_t<F&>;
    if constexpr (std::is_void_v<R>) {
      run_on_helper([&] { work(); });
    } else {
      std::optional<R> result;
      run_on_helper([&] { result.emplace(work()); });
      return std::move(*result);
    }
  }

  // The calling fiber, to wake() later; park() suspends it until then.
  Task* self() const noexcept;
  void park();
  void wake(Task* task);

 private:
  struct Impl;
  // Exceptions of `work` are rethrown here, on the fiber.
  void run_on_helper(const std::function<void()>& work);

  std::unique_ptr<Impl> impl_;
};

// `work()` on the calling thread, or, on a fiber, on a helper thread while the fiber waits:
// for what may block for long (connecting, waiting out a backoff).
template <class F>
std::invoke_result_t<F&> off_the_loop(F&& work) {
  if (FiberLoop* loop = FiberLoop::current()) return loop->run_blocking(std::forward<F>(work));
  return work();
}

// A lock for fibers of one loop: a fiber that finds it taken waits for it without holding up
// the thread (where a std::mutex would deadlock the loop when its holder waits for a socket).
class FiberMutex {
 public:
  void lock();
  void unlock();

 private:
  bool locked_ = false;
  std::vector<FiberLoop::Task*> waiters_;
};

}  // namespace llmrt::core
