#include "batch.h"

#include <pybind11/stl.h>

#include <algorithm>
#include <future>
#include <string>
#include <utility>

#include "call_threads.h"
#include "values.h"

namespace llmrt::python {

namespace {

// The least room a batch's results have for outcomes not yet taken: a reader that takes them a
// few at a time between other work does not pause a small batch at each one.
constexpr std::size_t kLeastRoom = 16;

py::object outcome_to_python(core::BatchOutcome& outcome) {
  return outcome.ok() ? py::cast(std::move(*outcome.result)) : error_to_python(*outcome.error);
}

}  // namespace

std::vector<core::BatchItem> batch_items_from_python(py::handle conversations, py::handle params) {
  if (!py::isinstance<py::list>(conversations) && !py::isinstance<py::tuple>(conversations)) {
    throw py::type_error("conversations: expected a list of conversations, got " +
                         py::str(py::type::of(conversations).attr("__name__")).cast<std::string>());
  }
  const core::ParamOverrides overrides = overrides_from_python(params);
  std::vector<core::BatchItem> items;
  std::size_t index = 0;
  for (py::handle conversation : conversations) {
    const std::string where = "conversations[" + std::to_string(index++) + "]";
    if (!py::isinstance<py::dict>(conversation)) {
      items.push_back(core::BatchItem{messages_from_python(conversation, where), overrides});
      continue;
    }
    // {"messages": …, "params": {…}}: this conversation's own parameters over the batch's.
    py::dict item = py::reinterpret_borrow<py::dict>(conversation);
    for (auto [key, value] : item) {
      const std::string name = py::str(key);
      if (name != "messages" && name != "params") {
        throw py::value_error(where + ": unknown key '" + name + "' (known: messages, params)");
      }
    }
    if (!item.contains("messages")) throw py::value_error(where + ": no \"messages\"");
    py::dict merged;
    if (!params.is_none()) merged.attr("update")(params);
    if (item.contains("params") && !item["params"].is_none()) {
      if (!py::isinstance<py::dict>(item["params"])) {
        throw py::type_error(where + ".params: expected a dict");
      }
      merged.attr("update")(item["params"]);
    }
    items.push_back(core::BatchItem{messages_from_python(item["messages"], where + ".messages"),
                                    overrides_from_python(merged)});
  }
  return items;
}

py::list chat_batch(const ModelRef& model, std::vector<core::BatchItem> items,
                    std::size_t concurrency, py::handle cancel) {
  auto token = std::make_shared<CallToken>(cancel);
  auto done = std::make_shared<std::promise<std::vector<core::BatchOutcome>>>();
  auto outcomes = done->get_future();
  CallThreads::instance().start(
      token, [model = model.model, items = std::move(items), concurrency, token, done] {
        try {
          core::BatchOptions options;
          options.concurrency = concurrency;
          options.threads = 0;  // a loop per core: no callback of the caller's runs on them
          options.cancel = token->token();
          done->set_value(model.chat_batch(items, options));
        } catch (...) {
          done->set_exception(std::current_exception());
        }
      });
  wait_interruptibly(
      [&](auto slice) { return outcomes.wait_for(slice) == std::future_status::ready; }, *token);
  py::list out;
  for (core::BatchOutcome& outcome : outcomes.get()) out.append(outcome_to_python(outcome));
  return out;
}

void OutcomeQueue::wait_for_room() {
  std::unique_lock lock(mutex_);
  taken_.wait(lock, [this] { return items_.size() < room_ || closed_; });
}

void OutcomeQueue::push(FinishedItem item) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    items_.push_back(std::move(item));
  }
  arrived_.notify_one();
}

void OutcomeQueue::finish(std::exception_ptr error) {
  {
    std::lock_guard lock(mutex_);
    error_ = std::move(error);
    ended_ = true;
  }
  arrived_.notify_all();
}

void OutcomeQueue::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    items_.clear();
  }
  taken_.notify_all();
  arrived_.notify_all();
}

bool OutcomeQueue::take(std::optional<FinishedItem>& out, std::chrono::milliseconds slice) {
  {
    std::unique_lock lock(mutex_);
    const auto news = [this] { return !items_.empty() || ended_ || closed_; };
    if (!news() && slice.count() > 0) arrived_.wait_for(lock, slice, news);
    if (items_.empty()) return ended_ || closed_;
    out.emplace(std::move(items_.front()));
    items_.pop_front();
  }
  taken_.notify_one();
  return true;
}

std::exception_ptr OutcomeQueue::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

BatchResults::BatchResults(const ModelRef& model, std::vector<core::BatchItem> items,
                           std::size_t concurrency, py::handle cancel)
    : token_(std::make_shared<CallToken>(cancel)),
      // The conversations the batch really runs at once: it starts no more than its maximum.
      queue_(std::make_shared<OutcomeQueue>(
          std::max(2 * std::min(concurrency, core::kMaxBatchConcurrency), kLeastRoom))) {
  CallThreads::instance().start(
      token_,
      [model = model.model, items = std::move(items), concurrency, token = token_, queue = queue_] {
        try {
          core::BatchOptions options;
          options.concurrency = concurrency;
          options.threads = 0;  // a loop per core: no callback of the caller's runs on them
          options.cancel = token->token();
          options.keep_outcomes = false;
          options.on_item = [&](std::size_t index, const core::BatchOutcome& outcome) {
            core::wait_in_batch([&] { queue->wait_for_room(); });
            // Not kept by the batch: this copy is the only one once on_item returns.
            queue->push(FinishedItem{index, outcome});
          };
          model.chat_batch(items, options);
          queue->finish(nullptr);
        } catch (...) {
          queue->finish(std::current_exception());
        }
      },
      // At the interpreter's exit nobody will read: the batch must not wait for room.
      [queue = queue_] { queue->close(); });
}

// Results dropped before their end are not wanted any more.
BatchResults::~BatchResults() {
  if (!finished_) close();
}

py::object BatchResults::next() {
  ReadingGuard guard(reading_, "batch");
  if (finished_ || closed_) {
    finished_ = true;
    throw py::stop_iteration();
  }
  std::optional<FinishedItem> item;
  wait_interruptibly([&](auto slice) { return queue_->take(item, slice); }, *token_);
  if (item) return py::make_tuple(item->index, outcome_to_python(item->outcome));
  finished_ = true;
  if (closed_) throw py::stop_iteration();
  if (std::exception_ptr error = queue_->error()) std::rethrow_exception(error);
  throw py::stop_iteration();
}

void BatchResults::close() {
  closed_ = true;
  // The queue first: a batch waiting for room goes on (and ends its calls) at once.
  queue_->close();
  token_->cancel();
}

}  // namespace llmrt::python
