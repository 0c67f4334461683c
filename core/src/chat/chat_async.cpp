// The batch and async forms of ChatModel's calls: the same calls, on threads of their own.
#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include "async/fiber_loop.h"
#include "http/watchdog.h"
#include "llmrt/core/chat_model.h"
#include "llmrt/core/log.h"
#include "memory/huge_pages.h"

namespace llmrt::core {

namespace {

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

// The batch's workers as fibers on this thread (FiberLoop says why). False when no loop can be
// had (out of file descriptors): then the caller starts threads.
bool run_on_fibers(const std::function<void()>& worker, std::size_t wanted) {
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
  std::size_t started = 0;
  try {
    for (; started < wanted; ++started) loop->spawn(worker);
  } catch (const std::exception& e) {
    // Out of memory for their stacks: the fibers that did start take every item between them.
    log(LogLevel::warn, "batch: only " + std::to_string(started) + " of " + std::to_string(wanted) +
                            " fibers could be started (" + e.what() + ")");
  }
  if (started == 0) return false;
  loop->run();
  return true;
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
  // on_item is called one at a time: a fiber that finds it busy waits without holding up
  // the loop (the busy one may be waiting for a socket, if on_item makes a call itself).
  std::mutex report;
  FiberMutex fiber_report;
  // The first exception from on_item (or from recording an outcome): kept, not thrown on a
  // worker, where it would reach std::terminate.
  std::atomic<bool> failed{false};
  std::exception_ptr failure;
  auto worker = [&] {
    const CallControl control{options.cancel, nullptr};
    for (std::size_t i = next++; i < items.size(); i = next++) {
      try {
        // Not kept: this item's outcome is the worker's own until on_item is done with it.
        BatchOutcome own;
        BatchOutcome& outcome = options.keep_outcomes ? outcomes[i] : own;
        outcome = run_item(*this, items[i], control);
        if (!options.on_item) continue;
        if (FiberLoop::current() != nullptr) {
          std::lock_guard lock(fiber_report);
          options.on_item(i, outcome);
        } else {
          std::lock_guard lock(report);
          options.on_item(i, outcome);
        }
      } catch (...) {
        if (!failed.exchange(true)) failure = std::current_exception();
      }
    }
  };
  const std::size_t wanted =
      std::clamp<std::size_t>(std::min(options.concurrency, kMaxBatchConcurrency), 1,
                              std::max<std::size_t>(items.size(), 1));
  if (wanted > 1 && run_on_fibers(worker, wanted)) {
    if (failure) std::rethrow_exception(failure);
    return outcomes;
  }
  std::vector<std::thread> pool;
  pool.reserve(wanted);
  std::optional<std::string> refused;
  for (std::size_t t = 0; t < wanted; ++t) {
    try {
      pool.emplace_back(worker);
    } catch (const std::system_error& e) {
      // Out of threads or of address space for their stacks: the workers that did start take
      // every item between them.
      refused = e.what();
      break;
    }
  }
  if (refused) {
    log(LogLevel::warn, "batch: only " + std::to_string(pool.size()) + " of " +
                            std::to_string(wanted) + " worker threads could be started (" +
                            *refused + ")");
  }
  if (pool.empty()) worker();  // not even one: this thread does the work
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  return outcomes;
}

std::future<ChatResult> ChatModel::chat_async(std::vector<Message> messages,
                                              ParamOverrides overrides, CallControl control) const {
  // The copy of this model shares its transport and keys; the thread owns its arguments.
  return std::async(
      std::launch::async,
      [model = *this, messages = std::move(messages), overrides = std::move(overrides),
       control = std::move(control)] { return model.chat(messages, overrides, control); });
}

StreamHandle ChatModel::stream_chat_async(std::vector<Message> messages, ParamOverrides overrides,
                                          EventCallback on_event, CallControl control) const {
  if (!control.cancel) control.cancel = std::make_shared<CancelToken>();
  std::shared_ptr<CancelToken> cancel = control.cancel;
  std::future<ChatResult> done =
      std::async(std::launch::async,
                 [model = *this, messages = std::move(messages), overrides = std::move(overrides),
                  on_event = std::move(on_event), control = std::move(control)] {
                   return model.stream_chat(messages, overrides, on_event, control);
                 });
  return StreamHandle(std::move(done), std::move(cancel));
}

}  // namespace llmrt::core
