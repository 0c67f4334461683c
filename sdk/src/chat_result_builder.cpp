#include "llmrt/sdk/chat_result_builder.h"

#include <algorithm>

#include "llmrt/sdk/overloaded.h"

namespace llmrt {
namespace {

ToolCall& call_at(std::vector<ToolCall>& calls, int index) {
  // Calls arrive in index order in practice; keep the vector sorted whatever the order.
  auto it = std::lower_bound(calls.begin(), calls.end(), index,
                             [](const ToolCall& c, int i) { return c.index < i; });
  if (it == calls.end() || it->index != index) {
    it = calls.insert(it, ToolCall{.index = index});
  }
  return *it;
}

}  // namespace

void ChatResultBuilder::add(const StreamEvent& event) {
  std::visit(Overloaded{
                 [this](const ContentDelta& e) { result_.content += e.text; },
                 [this](const ReasoningDelta& e) { result_.reasoning += e.text; },
                 [this](const ToolCallDelta& e) {
                   ToolCall& call = call_at(result_.tool_calls, e.index);
                   if (!e.id.empty()) call.id = e.id;
                   // Some servers repeat the name on every fragment: the first one wins.
                   if (call.name.empty()) call.name = e.name;
                   call.arguments += e.arguments;
                 },
                 [this](const FinishEvent& e) { result_.finish_reason = e.reason; },
                 [this](const UsageEvent& e) { result_.usage = e.usage; },
                 [](const ErrorEvent&) {},
                 [](const DoneEvent&) {},
             },
             event);
}

}  // namespace llmrt
