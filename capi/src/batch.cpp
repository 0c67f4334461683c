// Batches: many conversations on one event loop, each outcome handed to the caller as it
// finishes and kept by nobody else.
#include <new>
#include <string>
#include <vector>

#include "errors.h"
#include "handles.h"
#include "inputs.h"
#include "llmrt/core/batch.h"
#include "llmrt/sdk/error.h"

namespace {

// Conversation i's inputs; a bad one is named with its index ("params_json[2]: temperature: …").
llmrt::core::BatchItem read_item(const char* const* messages_json, const char* const* params_json,
                                 std::size_t i) {
  const std::string messages_name = "messages_json[" + std::to_string(i) + "]";
  llmrt::core::BatchItem item{llmrt::c_api::read_messages(messages_json[i], messages_name), {}};
  if (params_json == nullptr || params_json[i] == nullptr) return item;
  item.overrides =
      llmrt::c_api::read_params(params_json[i], "params_json[" + std::to_string(i) + "]");
  return item;
}

// Hands one outcome over: the caller owns what it is given.
void hand_over(const llmrt::core::BatchOutcome& outcome, std::size_t index, llmrt_batch_fn on_item,
               void* user) {
  llmrt_result* result = nullptr;
  llmrt_error* error = nullptr;
  if (outcome.ok()) {
    try {
      result = new llmrt_result(*outcome.result);
    } catch (...) {
      llmrt::c_api::report(std::current_exception(), &error);
    }
  } else {
    llmrt::c_api::report(std::make_exception_ptr(*outcome.error), &error);
  }
  on_item(index, result, error, user);
}

}  // namespace

extern "C" {

llmrt_code llmrt_chat_batch(const llmrt_model* model, const char* const* messages_json,
                            const char* const* params_json, size_t count, size_t concurrency,
                            llmrt_cancel* cancel, llmrt_batch_fn on_item, void* user,
                            llmrt_error** error) {
  constexpr const char* kFunction = "llmrt_chat_batch";
  if (!llmrt::c_api::present(model, kFunction, "model", error) ||
      (count > 0 && !llmrt::c_api::present(messages_json, kFunction, "messages_json", error))) {
    return LLMRT_INVALID_ARGUMENT;
  }
  if (on_item == nullptr) return llmrt::c_api::null_argument(kFunction, "on_item", error);
  for (std::size_t i = 0; i < count; ++i) {
    if (messages_json[i] == nullptr) {
      const std::string name = "messages_json[" + std::to_string(i) + "]";
      return llmrt::c_api::null_argument(kFunction, name.c_str(), error);
    }
  }
  return llmrt::c_api::guarded(error, [&] {
    std::vector<llmrt::core::BatchItem> items;
    items.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
      items.push_back(read_item(messages_json, params_json, i));
    llmrt::core::BatchOptions options;
    if (concurrency > 0) options.concurrency = concurrency;
    options.cancel = llmrt::c_api::read_control(cancel).cancel;
    options.keep_outcomes = false;
    options.on_item = [&](std::size_t index, const llmrt::core::BatchOutcome& outcome) {
      hand_over(outcome, index, on_item, user);
    };
    model->model.chat_batch(items, options);
  });
}

}  // extern "C"
