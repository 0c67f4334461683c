#pragma once

#include <cstdint>
#include <map>

#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/stream_event.h"
#include "llmrt/sdk/visibility.h"

namespace llmrt {

// Folds stream events into a ChatResult: appends text, assembles tool-call fragments by index
// and reasoning blocks by block (in the order blocks first appear), keeps the last finish
// reason and usage, collects warnings. Error and Done events are the caller's business.
// Assembling n fragments costs O(n log n) whatever the order of their indexes. Not for use
// from two threads at once, result() included.
class LLMRT_VISIBLE ChatResultBuilder {
 public:
  void add(const StreamEvent& event);
  // The result so far, tool calls ordered by index. Take it again after add(): tool calls
  // added since are merged into it only then.
  const ChatResult& result() const noexcept;
  ChatResult& result() noexcept;

 private:
  ToolCall& call_at(std::int64_t index);
  ReasoningBlock& block_at(std::int64_t block);
  void merge_pending() const noexcept;

  // result_.tool_calls stays sorted; a call whose index would go before the last one waits in
  // pending_ (O(log n) each) until result() merges them all in one pass. Appending in index
  // order, the usual case, never touches pending_.
  mutable ChatResult result_;
  mutable std::map<std::int64_t, ToolCall> pending_;
  std::map<std::int64_t, std::size_t> block_positions_;  // block → its place in reasoning_blocks
};

}  // namespace llmrt
