#include "llmrt/sdk/chat_result_builder.h"

#include <algorithm>

#include "llmrt/sdk/overloaded.h"

namespace llmrt {

ToolCall& ChatResultBuilder::call_at(std::int64_t index) {
  std::vector<ToolCall>& calls = result_.tool_calls;
  if (calls.empty() || calls.back().index < index) {
    if (pending_.empty()) return calls.emplace_back(ToolCall{.index = index});
  } else {
    auto it = std::lower_bound(calls.begin(), calls.end(), index,
                               [](const ToolCall& c, std::int64_t i) { return c.index < i; });
    if (it->index == index) return *it;
  }
  auto [it, added] = pending_.try_emplace(index, ToolCall{.index = index});
  // The merge must not allocate (result() is noexcept): room for every pending call is made
  // here, where a failure can still be thrown; doubling keeps that linear overall.
  if (const std::size_t need = calls.size() + pending_.size(); added && calls.capacity() < need) {
    calls.reserve(std::max(need, 2 * calls.capacity()));
  }
  return it->second;
}

ReasoningBlock& ChatResultBuilder::block_at(std::int64_t block) {
  std::vector<ReasoningBlock>& blocks = result_.reasoning_blocks;
  auto [it, added] = block_positions_.try_emplace(block, blocks.size());
  if (added) blocks.emplace_back();
  return blocks[it->second];
}

// A backward merge into the reserved tail: O(calls + pending), no allocation.
void ChatResultBuilder::merge_pending() const noexcept {
  if (pending_.empty()) return;
  std::vector<ToolCall>& calls = result_.tool_calls;
  std::size_t have = calls.size();
  calls.resize(have + pending_.size());  // within capacity: reserved by call_at
  std::size_t to = calls.size();
  auto next = pending_.rbegin();
  while (next != pending_.rend()) {
    if (have > 0 && calls[have - 1].index > next->first) {
      calls[--to] = std::move(calls[--have]);
    } else {
      calls[--to] = std::move(next->second);
      ++next;
    }
  }
  pending_.clear();
}

const ChatResult& ChatResultBuilder::result() const noexcept {
  merge_pending();
  return result_;
}

ChatResult& ChatResultBuilder::result() noexcept {
  merge_pending();
  return result_;
}

void ChatResultBuilder::add(const StreamEvent& event) {
  std::visit(Overloaded{
                 [this](const ContentDelta& e) { result_.content += e.text; },
                 [this](const ReasoningDelta& e) {
                   result_.reasoning += e.text;
                   ReasoningBlock& block = block_at(e.block);
                   block.text += e.text;
                   block.signature += e.signature;
                   block.redacted += e.redacted;
                 },
                 [this](const ToolCallDelta& e) {
                   ToolCall& call = call_at(e.index);
                   if (!e.id.empty()) call.id = e.id;
                   // Some servers repeat the name on every fragment: the first one wins.
                   if (call.name.empty()) call.name = e.name;
                   call.arguments += e.arguments;
                 },
                 [this](const FinishEvent& e) {
                   result_.finish_reason = e.reason;
                   result_.finish_reason_raw = e.raw;
                 },
                 [this](const WarningEvent& e) { result_.warnings.push_back(e.message); },
                 [this](const UsageEvent& e) { result_.usage = e.usage; },
                 [](const ErrorEvent&) {},
                 [](const DoneEvent&) {},
             },
             event);
}

}  // namespace llmrt
