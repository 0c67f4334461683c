#include "events.h"

#include "llmrt/sdk/overloaded.h"

namespace llmrt::c_api {

const llmrt_event* to_c_event(const StreamEvent& event, CEventSlot& slot) {
  llmrt_event& e = slot.event;
  // Every string a valid empty text, whatever the type.
  e = llmrt_event{};
  e.text = e.signature = e.redacted = e.id = e.name = e.arguments = e.raw = "";
  bool delivered = true;
  std::visit(Overloaded{
                 [&](const ContentDelta& d) {
                   e.type = LLMRT_EVENT_CONTENT;
                   e.text = d.text.c_str();
                   e.text_size = d.text.size();
                 },
                 [&](const ReasoningDelta& d) {
                   e.type = LLMRT_EVENT_REASONING;
                   e.text = d.text.c_str();
                   e.text_size = d.text.size();
                   e.signature = d.signature.c_str();
                   e.redacted = d.redacted.c_str();
                   e.block = d.block;
                 },
                 [&](const ToolCallDelta& d) {
                   e.type = LLMRT_EVENT_TOOL_CALL;
                   e.index = d.index;
                   e.id = d.id.c_str();
                   e.name = d.name.c_str();
                   e.arguments = d.arguments.c_str();
                 },
                 [&](const FinishEvent& d) {
                   e.type = LLMRT_EVENT_FINISH;
                   slot.finish_name = std::string(to_string(d.reason));
                   e.text = slot.finish_name.c_str();
                   e.text_size = slot.finish_name.size();
                   e.raw = d.raw.c_str();
                 },
                 [&](const UsageEvent& d) {
                   e.type = LLMRT_EVENT_USAGE;
                   e.usage = {d.usage.prompt_tokens,      d.usage.completion_tokens,
                              d.usage.total_tokens,       d.usage.cache_read_tokens,
                              d.usage.cache_write_tokens, d.usage.reasoning_tokens};
                 },
                 [&](const WarningEvent& d) {
                   e.type = LLMRT_EVENT_WARNING;
                   e.text = d.message.c_str();
                   e.text_size = d.message.size();
                 },
                 [&](const ErrorEvent&) { delivered = false; },
                 [&](const DoneEvent&) { delivered = false; },
             },
             event);
  return delivered ? &e : nullptr;
}

}  // namespace llmrt::c_api
