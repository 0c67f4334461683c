#pragma once

#include <atomic>

namespace llmrt::core {

// A lock that one thread may take and another give back (a helper takes it for a fiber, whose
// loop's thread gives it back), like a binary semaphore. Unlike libstdc++ 12's
// std::binary_semaphore, whose release() makes a futex system call each time whether or not
// anyone waits, giving it back costs one atomic exchange, and a notify only once a waiter has
// marked it: a batch takes it once for every item, and on a virtual machine where a system call
// is dear that call was a measurable part of each request.
class HandoffLock {
 public:
  bool try_lock() noexcept {
    int free = kFree;
    return state_.compare_exchange_strong(free, kTaken, std::memory_order_acquire,
                                          std::memory_order_relaxed);
  }

  void lock() noexcept {
    if (try_lock()) return;
    // From here on the lock is marked as waited for: whoever gives it back wakes a waiter, and
    // a waiter that takes it keeps the mark (others may still wait; one wake too many is cheap).
    while (state_.exchange(kWaitedFor, std::memory_order_acquire) != kFree) {
      // Sequentially consistent like unlock()'s exchange: the two halves of "a waiter is
      // counted before it looks, a giver looks for waiters after it stores" then hold by the
      // language's rules, not only by the kernel's barrier before a futex wait.
      state_.wait(kWaitedFor, std::memory_order_seq_cst);
    }
  }

  void unlock() noexcept {
    // Sequentially consistent, not just release: notify_one() then reads whether anyone waits,
    // and that read must not come before this store (the wait's own check is the other half).
    if (state_.exchange(kFree, std::memory_order_seq_cst) == kWaitedFor) state_.notify_one();
  }

 private:
  static constexpr int kFree = 0;
  static constexpr int kTaken = 1;
  static constexpr int kWaitedFor = 2;
  std::atomic<int> state_{kFree};
};

}  // namespace llmrt::core
