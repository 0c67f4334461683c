#pragma once

// A batch of conversations from Python: every outcome at the end, in order (Model.chat_batch),
// or each as it finishes (Model.chat_batch_as_completed, an llmrt.BatchResults), which holds
// only the calls in flight and the outcomes not yet taken, however many conversations there are.

#include <pybind11/pybind11.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "calls.h"
#include "llmrt/core/batch.h"

namespace llmrt::python {

// The batch items of `conversations` (a list or tuple; each element messages, or
// {"messages": …, "params": {…}} with parameters of its own over `params`). Raises TypeError or
// ValueError naming conversations[i].
std::vector<core::BatchItem> batch_items_from_python(py::handle conversations, py::handle params);

// Each conversation's ChatResult or LlmrtError, in order, once all have finished.
py::list chat_batch(const ModelRef& model, std::vector<core::BatchItem> items,
                    std::size_t concurrency, py::handle cancel);

struct FinishedItem {
  std::size_t index = 0;
  core::BatchOutcome outcome;
};

// Between a batch's thread and the Python thread that takes its outcomes, one at a time. At
// most `room` outcomes wait; a batch's on_item waits for room (through core::wait_in_batch, so
// that the calls in flight go on meanwhile): a slow reader slows the batch instead of the
// batch's outcomes piling up.
class OutcomeQueue {
 public:
  explicit OutcomeQueue(std::size_t room) : room_(room) {}
  // The batch's thread: until fewer than `room` outcomes wait, or the reader has gone.
  void wait_for_room();
  // The batch's thread. Once the reader has gone, drops the outcome.
  void push(FinishedItem item);
  // The batch's end: `error` is what it threw, or nullptr.
  void finish(std::exception_ptr error);
  // The reader has gone: nothing waits for it any more.
  void close();
  // Moves the next outcome to `out`, waiting up to `slice` when none has arrived. True when
  // `out` got one, the batch has ended or the reader has gone.
  bool take(std::optional<FinishedItem>& out, std::chrono::milliseconds slice);
  std::exception_ptr error() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::condition_variable taken_;
  std::deque<FinishedItem> items_;
  const std::size_t room_;
  bool ended_ = false;
  bool closed_ = false;
  std::exception_ptr error_;
};

// llmrt.BatchResults: (index, ChatResult or LlmrtError) pairs in the order the conversations
// finish. Closing it (or dropping it, leaving its `with` block, or the interpreter's exit)
// cancels what has not finished.
class BatchResults {
 public:
  BatchResults(const ModelRef& model, std::vector<core::BatchItem> items, std::size_t concurrency,
               py::handle cancel);
  ~BatchResults();
  BatchResults(const BatchResults&) = delete;
  BatchResults& operator=(const BatchResults&) = delete;

  py::object next();
  // From any thread: cancels the batch; iteration stops.
  void close();

 private:
  std::shared_ptr<CallToken> token_;
  std::shared_ptr<OutcomeQueue> queue_;
  bool finished_ = false;
  bool reading_ = false;
  std::atomic<bool> closed_{false};
};

}  // namespace llmrt::python
