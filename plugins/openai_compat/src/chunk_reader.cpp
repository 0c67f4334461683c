#include "llmrt/plugins/openai_compat/chunk_reader.h"

#include <rapidjson/stream.h>

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
  if (top() == At::root &&
      (key_ == "error" || key_ == "code" || key_ == "msgCode" || key_ == "success")) {
    declined_ = true;  // a provider's error object: not a plain chunk
    return false;
  }
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
  }
  path_.push_back(next);
  return true;
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
  path_.push_back(next);
  return true;
}

bool ChunkReader::EndArray(rapidjson::SizeType) {
  path_.pop_back();
  return true;
}

bool ChunkReader::scalar() { return true; }

bool ChunkReader::integer(long long value) {
  switch (top()) {
    case At::choice:
      if (key_ == "index") choice_.index = value;
      break;
    case At::tool_call:
      if (key_ == "index") choice_.tool_calls.back().index = static_cast<int>(value);
      break;
    case At::usage:
      if (key_ == "prompt_tokens") usage_.prompt_tokens = value;
      if (key_ == "completion_tokens") usage_.completion_tokens = value;
      if (key_ == "total_tokens") usage_.total_tokens = value;
      break;
    default:
      break;
  }
  return true;
}

bool ChunkReader::String(const char* text, rapidjson::SizeType length, bool) {
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
  if (!choice_.finish_reason.empty()) pending_.emplace_back(FinishEvent{choice_.finish_reason});
}

}  // namespace llmrt::plugins::openai_compat
