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

// Between a batch's thread and the Python thread that takes its outcomes. At most `room`
// outcomes wait; beyond that the batch waits for the reader (its loop pauses: a slow reader
// slows the batch instead of the batch's outcomes piling up).
class OutcomeQueue {
 public:
  explicit OutcomeQueue(std::size_t room) : room_(room) {}
  // The batch's thread: waits while `room` outcomes wait. Once the reader has gone, drops it.
  void push(FinishedItem item);
  // The batch's end: `error` is what it threw, or nullptr.
  void finish(std::exception_ptr error);
  // The reader has gone: nothing waits for it any more.
  void close();
  // Moves what has arrived to the end of `out`, waiting up to `slice` when nothing has. True
  // when `out` got outcomes or the batch has ended.
  bool take(std::deque<FinishedItem>& out, std::chrono::milliseconds slice);
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
// finish. Closing it (or dropping it, or leaving its `with` block) cancels what has not finished.
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
  std::deque<FinishedItem> pending_;
  bool finished_ = false;
  bool reading_ = false;
  std::atomic<bool> closed_{false};
};

}  // namespace llmrt::python
