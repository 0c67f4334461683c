// The batch and async forms of ChatModel's calls: the same calls, on threads of their own.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "llmrt/core/chat_model.h"

namespace llmrt::core {

std::vector<BatchOutcome> ChatModel::chat_batch(const std::vector<BatchItem>& items,
                                                const BatchOptions& options) const {
  std::vector<BatchOutcome> outcomes(items.size());
  std::atomic<std::size_t> next{0};
  std::mutex report;  // on_item is called one at a time
  auto worker = [&] {
    for (std::size_t i = next++; i < items.size(); i = next++) {
      BatchOutcome& outcome = outcomes[i];
      try {
        outcome.result =
            chat(items[i].messages, items[i].overrides, CallControl{options.cancel, nullptr});
      } catch (const Error& e) {
        outcome.error = e;
      } catch (const std::exception& e) {
        // Not from the request path (out of memory, …): still this item's error, not the
        // batch's.
        outcome.error = Error(ErrorKind::protocol, std::string("unexpected failure: ") + e.what());
      }
      if (options.on_item) {
        std::lock_guard lock(report);
        options.on_item(i, outcome);
      }
    }
  };
  std::size_t threads =
      std::clamp<std::size_t>(options.concurrency, 1, std::max<std::size_t>(items.size(), 1));
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (std::size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (std::thread& t : pool) t.join();
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
