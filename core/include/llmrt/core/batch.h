#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "llmrt/core/cancel_token.h"
#include "llmrt/core/param_overrides.h"
#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/message.h"

namespace llmrt::core {

struct BatchItem {
  std::vector<Message> messages{};
  ParamOverrides overrides{};
};

// One item's outcome: its result or its error, never both.
struct BatchOutcome {
  std::optional<ChatResult> result{};
  std::optional<Error> error{};
  bool ok() const noexcept { return result.has_value(); }
};

// More threads than this are never started, whatever BatchOptions::concurrency says: each costs
// a stack (8 MiB of address space by default) and a connection, and a provider's rate limits
// are reached long before.
inline constexpr std::size_t kMaxBatchConcurrency = 256;
// Nor more threads with an event loop each than this (BatchOptions::threads).
inline constexpr std::size_t kMaxBatchThreads = 8;

struct BatchOptions {
  // Conversations in flight at once (lagent's default is 20), at most kMaxBatchConcurrency.
  // More than one: each is a fiber on an event loop (`threads`), waiting for its socket in the
  // loop's epoll (no thread switch per reply); connecting, TLS exchanges and waits (a retry's
  // backoff, room in a rate budget) run on helper threads meanwhile, so that none holds up
  // the others. When no loop can be had (out of file descriptors) the batch runs on threads,
  // one per conversation, as many as the system lets it start (a warning is logged).
  std::size_t concurrency = 20;
  // Threads whose event loops share the conversations (the calling thread's first, then
  // threads started for the batch, at most kMaxBatchThreads and never more than
  // `concurrency`); 0: one for each core this thread may run on (sched_getaffinity), no more
  // than its cgroup's CPU quota allows (cgroup v1 or v2, rounded up to whole cores). One, the
  // default, keeps every callback on the calling thread. More let the client's own work (a
  // request built, a reply parsed) use more than one core: at 20 conversations against a
  // server on the same two cores, two loops made 88-92 % of wrk's rate where one made 65-76 %
  // in the same runs on one machine, alike rates on another (benchmarks/peers). Over plain HTTP
  // each loop keeps to the pooled connections it used last (over TLS they are used on helper
  // threads, which no loop watches). A batch of one conversation runs as a blocking call on the
  // calling thread.
  std::size_t threads = 1;
  // Told of each finished item, one call at a time (no locking needed in it), in completion
  // order, on the calling thread (with `threads` above one: on the thread of the loop whose
  // conversation finished; on a worker thread when the batch runs on threads): while it
  // runs, the other conversations of its loop wait, so it should be quick; a wait in it that
  // may be long (for room to put the outcome, for a consumer) goes through wait_in_batch, so
  // that the calls in flight go on reading their replies meanwhile. It may make calls of its
  // own (a chat_batch in it runs to its end before the outer batch goes on); their on_retry
  // and on_route run on its thread, so a lock it holds across such a call must not be one
  // they take.
  // An exception it throws does not stop the batch: the
  // other items still run and are reported, and chat_batch rethrows the first such exception
  // once every item has finished (the outcomes are then lost with the return value).
  std::function<void(std::size_t index, const BatchOutcome& outcome)> on_item{};
  // Cancels the items not yet finished; they end with kind `cancelled`.
  std::shared_ptr<CancelToken> cancel{};
  // false: each outcome lives only while on_item is told of it, and chat_batch returns no
  // outcomes (an empty vector), so that a batch's memory is that of its items and the calls in
  // flight, however many items it has (a program that writes each outcome out as it comes, as
  // `llmrt batch` does). Needs on_item: chat_batch refuses (Error bad_request) without one.
  bool keep_outcomes = true;
};

// Runs `wait`, something that blocks (a wait for room in a queue, for a consumer), from inside
// a batch's on_item so that the batch's other conversations go on meanwhile: on the batch's
// event loop it runs on a helper thread while this conversation waits (the calls in flight keep
// reading their replies, and none times out for it); anywhere else it just runs. Exceptions of
// `wait` are rethrown here.
void wait_in_batch(const std::function<void()>& wait);

}  // namespace llmrt::core
