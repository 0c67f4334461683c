#pragma once

#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/stream_event.h"
#include "llmrt/sdk/visibility.h"

namespace llmrt {

// Folds stream events into a ChatResult: appends text, assembles tool-call fragments by index,
// keeps the last finish reason and usage. Error and Done events are the caller's business.
class LLMRT_VISIBLE ChatResultBuilder {
 public:
  void add(const StreamEvent& event);
  const ChatResult& result() const noexcept { return result_; }
  ChatResult& result() noexcept { return result_; }

 private:
  ChatResult result_;
};

}  // namespace llmrt
