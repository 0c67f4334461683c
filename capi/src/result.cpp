// Results of chat calls and their accessors.
#include "errors.h"
#include "handles.h"
#include "llmrt/core/messages_json.h"
#include "llmrt/sdk/json_writer.h"

llmrt_result::llmrt_result(llmrt::ChatResult r) : result(std::move(r)) {
  llmrt::json::JsonWriter calls;
  calls.begin_array();
  for (const llmrt::ToolCall& call : result.tool_calls) {
    calls.begin_object()
        .field("id", call.id)
        // As the message writer does: a call the provider gave no type is a function call.
        .field("type", call.type.empty() ? std::string("function") : call.type)
        .key("function")
        .begin_object()
        .field("name", call.name)
        .field("arguments", call.arguments)
        .end_object()
        .end_object();
  }
  calls.end_array();
  tool_calls_json = calls.take();
  llmrt::json::JsonWriter message;
  llmrt::core::write_message_json(message, llmrt::assistant_message(result));
  message_json = message.take();
  finish_reason = std::string(llmrt::finish_reason_name(result));
}

namespace {

const char* result_text(const std::string* text, size_t* size) {
  if (size != nullptr) *size = text != nullptr ? text->size() : 0;
  return text != nullptr ? text->c_str() : "";
}

}  // namespace

extern "C" {

const char* llmrt_result_content(const llmrt_result* result, size_t* size) {
  return result_text(result != nullptr ? &result->result.content : nullptr, size);
}

const char* llmrt_result_reasoning(const llmrt_result* result, size_t* size) {
  return result_text(result != nullptr ? &result->result.reasoning : nullptr, size);
}

const char* llmrt_result_tool_calls_json(const llmrt_result* result) {
  return result != nullptr ? result->tool_calls_json.c_str() : "[]";
}

const char* llmrt_result_message_json(const llmrt_result* result) {
  return result != nullptr ? result->message_json.c_str() : "";
}

const char* llmrt_result_finish_reason(const llmrt_result* result) {
  return result != nullptr ? result->finish_reason.c_str() : "";
}

const char* llmrt_result_finish_reason_raw(const llmrt_result* result) {
  return result != nullptr ? result->result.finish_reason_raw.c_str() : "";
}

int llmrt_result_usage(const llmrt_result* result, llmrt_usage* usage) {
  const bool known = result != nullptr && result->result.usage.has_value();
  if (usage != nullptr) {
    *usage = llmrt_usage{};
    if (known) {
      const llmrt::Usage& u = *result->result.usage;
      *usage = {u.prompt_tokens,     u.completion_tokens,  u.total_tokens,
                u.cache_read_tokens, u.cache_write_tokens, u.reasoning_tokens};
    }
  }
  return known ? 1 : 0;
}

const char* llmrt_result_served_by(const llmrt_result* result) {
  return result != nullptr ? result->result.served_by.c_str() : "";
}

int llmrt_result_cost(const llmrt_result* result, double* cost) {
  const bool known = result != nullptr && result->result.cost.has_value();
  if (cost != nullptr) *cost = known ? *result->result.cost : 0.0;
  return known ? 1 : 0;
}

void llmrt_result_free(llmrt_result* result) { delete result; }

}  // extern "C"
