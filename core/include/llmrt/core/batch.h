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
  std::vector<Message> messages;
  ParamOverrides overrides;
};

// One item's outcome: its result or its error, never both.
struct BatchOutcome {
  std::optional<ChatResult> result;
  std::optional<Error> error;
  bool ok() const noexcept { return result.has_value(); }
};

struct BatchOptions {
  // Conversations in flight at once (lagent's default is 20).
  std::size_t concurrency = 20;
  // Told of each finished item, one call at a time (no locking needed in it), from the
  // worker threads, in completion order.
  std::function<void(std::size_t index, const BatchOutcome& outcome)> on_item;
  // Cancels the items not yet finished; they end with kind `cancelled`.
  std::shared_ptr<CancelToken> cancel;
};

}  // namespace llmrt::core
