#include "llmrt/plugins/openai_compat/chunk_reader.h"
#include "llmrt/plugins/openai_compat/finish_reasons.h"

#include <rapidjson/stream.h>

#include <cmath>

#include "llmrt/sdk/json_limits.h"

namespace llmrt::plugins::openai_compat {

bool ChunkReader::read(std::string_view json, std::vector<StreamEvent>& out) {
  // A copy, so that when this declines the general path still has the bytes as they came.
  scratch_.assign(json);
  path_.clear();
  key_ = {};
  pending_.clear();
  has_usage_ = false;
  declined_ = false;
  rapidjson::InsituStringStream stream(scratch_.data());
  if (!reader_.Parse<rapidjson::kParseInsituFlag>(stream, *this) || declined_) return false;
  if (has_usage_) pending_.emplace_back(UsageEvent{usage_});
  for (StreamEvent& e : pending_) out.push_back(std::move(e));
  return true;
}

bool ChunkReader::Key(const char* text, rapidjson::SizeType length, bool) {
  key_ = std::string_view(text, length);
  if (top() == At::root && (key_ == "error" || key_ == "code" || key_ == "msgCode" ||
                            key_ == "success" || key_ == "error_code")) {
    return decline();  // a provider's error object: not a plain chunk
  }
  return true;
}

// Refusing a level before the reader descends into it bounds the reader's recursion.
bool ChunkReader::enter(At next) {
  if (path_.size() == kMaxJsonDepth || at_tool_call_index()) return decline();
  path_.push_back(next);
  return true;
}

bool ChunkReader::StartObject() {
  At parent = top();
  At next = At::other;
  if (path_.empty()) {
    next = At::root;
  } else if (parent == At::choices) {
    next = At::choice;
    reset_choice();
  } else if (parent == At::choice && key_ == "delta") {
    next = At::delta;
  } else if (parent == At::tool_calls) {
    next = At::tool_call;
    choice_.tool_calls.emplace_back();
  } else if (parent == At::tool_call && key_ == "function") {
    next = At::function;
  } else if (parent == At::root && key_ == "usage") {
    next = At::usage;
    has_usage_ = true;
    usage_ = {};
  } else if (parent == At::usage && key_ == "prompt_tokens_details") {
    next = At::prompt_details;
  } else if (parent == At::usage && key_ == "completion_tokens_details") {
    next = At::completion_details;
  }
  return enter(next);
}

bool ChunkReader::EndObject(rapidjson::SizeType) {
  if (top() == At::choice) end_choice();
  path_.pop_back();
  return true;
}

bool ChunkReader::StartArray() {
  At parent = top();
  At next = At::other;
  if (parent == At::root && key_ == "choices") {
    next = At::choices;
  } else if (parent == At::delta && key_ == "tool_calls") {
    next = At::tool_calls;
  }
  return enter(next);
}

bool ChunkReader::EndArray(rapidjson::SizeType) {
  path_.pop_back();
  return true;
}

// A value that is no 64-bit integer. As a tool call's index it is for the general path to
// refuse; as a choice's index it is not choice 0; as a usage count it is ignored (as
// json::count_member does).
bool ChunkReader::scalar() {
  if (at_tool_call_index()) return decline();
  if (top() == At::choice && key_ == "index") choice_.index = -1;
  return true;
}

bool ChunkReader::Uint64(uint64_t value) {
  if (value <= static_cast<uint64_t>(INT64_MAX)) return integer(static_cast<long long>(value));
  return scalar();
}

bool ChunkReader::Double(double value) {
  // Whole numbers written as doubles (12.0) count, as json::as_int64 reads them.
  if (value >= -9223372036854775808.0 && value < 9223372036854775808.0 &&
      value == std::floor(value)) {
    return integer(static_cast<long long>(value));
  }
  return scalar();
}

bool ChunkReader::integer(long long value) {
  switch (top()) {
    case At::choice:
      if (key_ == "index") choice_.index = value;
      break;
    case At::tool_call:
      if (key_ == "index") choice_.tool_calls.back().index = value;
      break;
    case At::usage:
      if (value < 0) break;  // ignored, as json::count_member does
      if (key_ == "prompt_tokens") usage_.prompt_tokens = value;
      if (key_ == "completion_tokens") usage_.completion_tokens = value;
      if (key_ == "total_tokens") usage_.total_tokens = value;
      break;
    case At::prompt_details:
      if (value >= 0 && key_ == "cached_tokens") usage_.cache_read_tokens = value;
      break;
    case At::completion_details:
      if (value >= 0 && key_ == "reasoning_tokens") usage_.reasoning_tokens = value;
      break;
    default:
      break;
  }
  return true;
}

bool ChunkReader::String(const char* text, rapidjson::SizeType length, bool) {
  if (key_ == "index") return scalar();
  std::string_view value(text, length);
  switch (top()) {
    case At::choice:
      if (key_ == "finish_reason") choice_.finish_reason.assign(value);
      break;
    case At::delta:
      if (key_ == "content") {
        choice_.content.assign(value);
      } else if (key_ == "reasoning_content" ||
                 (key_ == "reasoning" && choice_.reasoning.empty())) {
        choice_.reasoning.assign(value);
      }
      break;
    case At::tool_call:
      if (key_ == "id") choice_.tool_calls.back().id.assign(value);
      break;
    case At::function:
      if (key_ == "name") choice_.tool_calls.back().name.assign(value);
      if (key_ == "arguments") choice_.tool_calls.back().arguments.assign(value);
      break;
    default:
      break;
  }
  return true;
}

void ChunkReader::reset_choice() {
  choice_.index = 0;
  choice_.content.clear();
  choice_.reasoning.clear();
  choice_.finish_reason.clear();
  choice_.tool_calls.clear();
}

// The same events, in the same order, as decode_chunk gives for choice 0.
void ChunkReader::end_choice() {
  if (choice_.index != 0) return;
  if (!choice_.reasoning.empty()) pending_.emplace_back(ReasoningDelta{choice_.reasoning});
  if (!choice_.content.empty()) pending_.emplace_back(ContentDelta{choice_.content});
  for (ToolCallDelta& call : choice_.tool_calls) pending_.emplace_back(std::move(call));
  if (!choice_.finish_reason.empty()) pending_.emplace_back(finish_event(choice_.finish_reason));
}

}  // namespace llmrt::plugins::openai_compat
