// ChatModel::chat_batch: many conversations at once, as fibers on event loops (the calling
// thread's, and those of threads started for the batch), or on threads of their own when no
// loop can be had.
#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "async/cores_available.h"
#include "async/fiber_loop.h"
#include "async/handoff_lock.h"
#include "http/watchdog.h"
#include "llmrt/core/chat_model.h"
#include "llmrt/core/log.h"
#include "memory/huge_pages.h"

namespace llmrt::core {

namespace {

// A worker takes items until none is left; `local` is its loop's lock for on_item (nullptr on
// a thread of its own).
using Worker = std::function<void(FiberMutex* local)>;

// One item's call; every failure becomes the item's own error.
BatchOutcome run_item(const ChatModel& model, const BatchItem& item, const CallControl& control) {
  BatchOutcome outcome;
  try {
    outcome.result = model.chat(item.messages, item.overrides, control);
  } catch (const Error& e) {
    outcome.error = e;
  } catch (const std::exception& e) {
    // Not from the request path (out of memory, …): still this item's error, not the batch's.
    outcome.error = Error(ErrorKind::protocol, std::string("unexpected failure: ") + e.what());
  } catch (...) {
    outcome.error = Error(ErrorKind::protocol, "unexpected failure");
  }
  return outcome;
}

// "batch: only 3 of 8 threads could be started (why)". Never throws: it is said where threads
// may already run, and memory may be what ran out.
void warn_started(std::size_t started, std::size_t wanted, const char* what,
                  const char* why) noexcept {
  try {
    log(LogLevel::warn, "batch: only " + std::to_string(started) + " of " + std::to_string(wanted) +
                            " " + what + " could be started (" + why + ")");
  } catch (...) {
    // Out of memory for the message as well: the batch goes on without it.
  }
}

// Joins the batch's threads however their starter leaves (an exception from it included):
// a std::thread destroyed unjoined ends the process.
class Joined {
 public:
  explicit Joined(std::size_t count) { threads_.reserve(count); }
  ~Joined() {
    for (std::thread& t : threads_) t.join();
  }
  Joined(const Joined&) = delete;
  Joined& operator=(const Joined&) = delete;
  template <class... Args>
  void start(Args&&... args) {
    threads_.emplace_back(std::forward<Args>(args)...);
  }
  std::size_t size() const noexcept { return threads_.size(); }

 private:
  std::vector<std::thread> threads_;
};

// on_item one call at a time across all of the batch's threads. A fiber waits for the others
// of its loop by the loop's FiberMutex, and for other threads' on a helper thread: blocked in
// a lock, its loop's thread would hold up its own calls, which the holder's on_item may be
// waiting for (room in a rate budget that they give back). A HandoffLock, as the helper takes
// it and the fiber gives it back.
class ReportGate {
 public:
  class Turn {
   public:
    Turn(ReportGate& gate, FiberMutex* local) : gate_(gate), local_(local) {
      if (local_ == nullptr) {
        gate_.across_.lock();
        return;
      }
      local_->lock();
      if (gate_.across_.try_lock()) return;
      try {
        off_the_loop([this] { gate_.across_.lock(); });
      } catch (...) {
        local_->unlock();
        throw;
      }
    }
    ~Turn() {
      gate_.across_.unlock();
      if (local_ != nullptr) local_->unlock();
    }
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;

   private:
    ReportGate& gate_;
    FiberMutex* local_;
  };

 private:
  HandoffLock across_;
};

// The batch's workers as fibers on this thread (FiberLoop says why). False when no loop can be
// had (out of file descriptors): then the caller starts threads.
bool run_on_fibers(const Worker& worker, std::size_t fibers) {
  std::optional<FiberLoop> loop;
  try {
    // Every call needs the watchdog's thread: started before the fibers' stacks can take what
    // is left of an address-space limit (a thread of its own has a stack as large).
    Watchdog::instance();
    loop.emplace();
  } catch (const std::system_error& e) {
    log(LogLevel::warn, std::string("batch: no event loop (") + e.what() +
                            "): a thread for each conversation in flight");
    return false;
  }
  FiberMutex local;
  std::size_t started = 0;
  try {
    for (; started < fibers; ++started) loop->spawn([&] { worker(&local); });
  } catch (const std::exception& e) {
    // Out of memory for their stacks: the fibers that did start take every item between them.
    warn_started(started, fibers, "fibers", e.what());
  }
  if (started == 0) return false;
  loop->run();
  return true;
}

// The workers as threads of their own, as many as can be started; this one's when none can.
void run_on_threads(const Worker& worker, std::size_t count) {
  Joined pool(count);
  for (std::size_t t = 0; t < count; ++t) {
    try {
      pool.start(worker, nullptr);
    } catch (const std::system_error& e) {
      // Out of threads or of address space for their stacks: the workers that did start take
      // every item between them.
      warn_started(pool.size(), count, "worker threads", e.what());
      break;
    }
  }
  if (pool.size() == 0) worker(nullptr);
}

// One thread's share of the conversations: on its event loop, or on threads.
void run_share(const Worker& worker, std::size_t fibers) {
  if (!run_on_fibers(worker, fibers)) run_on_threads(worker, fibers);
}

// `fibers` conversations shared by `threads` event loops, this thread's and the others', as
// evenly as they go. A thread that cannot be started leaves its share to this one.
void run_on_loops(const Worker& worker, std::size_t fibers, std::size_t threads) {
  try {
    // The watchdog's thread first, as run_on_fibers says: the loops' threads have stacks too.
    Watchdog::instance();
  } catch (const std::system_error&) {
    // Each loop asks again, and runs its share on threads when it cannot have it.
  }
  std::vector<std::exception_ptr> failures(threads);
  std::size_t mine = fibers;
  {
    Joined others(threads - 1);
    for (std::size_t t = 1; t < threads; ++t) {
      const std::size_t share = fibers / threads + (t < fibers % threads ? 1 : 0);
      try {
        others.start([&worker, &failure = failures[t], share] {
          try {
            run_share(worker, share);
          } catch (...) {
            failure = std::current_exception();
          }
        });
        mine -= share;
      } catch (const std::system_error& e) {
        warn_started(t, threads, "threads", e.what());
        break;
      }
    }
    try {
      run_share(worker, mine);
    } catch (...) {
      failures[0] = std::current_exception();
    }
  }
  for (const std::exception_ptr& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
}

}  // namespace

void wait_in_batch(const std::function<void()>& wait) { off_the_loop(wait); }

std::vector<BatchOutcome> ChatModel::chat_batch(const std::vector<BatchItem>& items,
                                                const BatchOptions& options) const {
  if (!options.keep_outcomes && !options.on_item) {
    throw Error(ErrorKind::bad_request,
                "a batch that keeps no outcomes needs on_item: every outcome would be lost");
  }
  std::vector<BatchOutcome> outcomes;
  if (options.keep_outcomes) {
    // Allocated, advised, then written: a big batch's outcomes are megabytes written end to end.
    outcomes.reserve(items.size());
    advise_huge_pages(outcomes.data(), items.size() * sizeof(BatchOutcome));
    outcomes.resize(items.size());
  }
  std::atomic<std::size_t> next{0};
  ReportGate gate;
  // The first exception from on_item (or from recording an outcome): kept, not thrown on a
  // worker, where it would reach std::terminate.
  std::atomic<bool> failed{false};
  std::exception_ptr failure;
  const Worker worker = [&](FiberMutex* local) {
    const CallControl control{options.cancel, nullptr};
    for (std::size_t i = next++; i < items.size(); i = next++) {
      try {
        // Not kept: this item's outcome is the worker's own until on_item is done with it.
        BatchOutcome own;
        BatchOutcome& outcome = options.keep_outcomes ? outcomes[i] : own;
        outcome = run_item(*this, items[i], control);
        if (!options.on_item) continue;
        const ReportGate::Turn turn(gate, local);
        options.on_item(i, outcome);
      } catch (...) {
        if (!failed.exchange(true)) failure = std::current_exception();
      }
    }
  };
  const std::size_t wanted =
      std::clamp<std::size_t>(std::min(options.concurrency, kMaxBatchConcurrency), 1,
                              std::max<std::size_t>(items.size(), 1));
  if (wanted == 1) {
    worker(nullptr);  // one conversation: a blocking call on the calling thread
  } else {
    const std::size_t asked = options.threads == 0 ? cores_available() : options.threads;
    const std::size_t loops = std::clamp<std::size_t>(asked, 1, std::min(wanted, kMaxBatchThreads));
    if (log_enabled(LogLevel::debug)) {
      log(LogLevel::debug,
          "batch: " + std::to_string(wanted) + " conversations at a time on " +
              std::to_string(loops) + (loops == 1 ? " event loop" : " event loops") +
              (options.threads == 0 ? " (threads 0: " + std::to_string(asked) +
                                          (asked == 1 ? " core" : " cores") + " available)"
                                    : std::string()));
    }
    run_on_loops(worker, wanted, loops);
  }
  if (failure) std::rethrow_exception(failure);
  return outcomes;
}

}  // namespace llmrt::core
