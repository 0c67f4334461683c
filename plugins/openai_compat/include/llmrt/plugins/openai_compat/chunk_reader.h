#pragma once

#include <rapidjson/reader.h>

#include <string>
#include <string_view>
#include <vector>

#include "llmrt/sdk/stream_event.h"

namespace llmrt::plugins::openai_compat {

// Reads the fields llmrt uses from a chat.completion.chunk straight from the parser's events,
// without building a DOM (building one to read three fields was a third of a streamed
// chunk's cost). Declines — returns false, appending nothing — on anything that is not a plain
// chunk: malformed JSON, nesting deeper than kMaxJsonDepth, a tool-call index that is no 64-bit
// integer, or a top-level "error", "code", "msgCode", "success" or "error_code" member; the
// general path (ChunkStreamDecoder) reports or handles those.
class ChunkReader {
 public:
  bool read(std::string_view json, std::vector<StreamEvent>& out);

  // The SAX handler's callbacks (RapidJSON's Handler concept).
  bool Null() { return true; }
  bool Bool(bool) { return scalar(); }
  bool Int(int v) { return integer(v); }
  bool Uint(unsigned v) { return integer(v); }
  bool Int64(int64_t v) { return integer(v); }
  bool Uint64(uint64_t v);
  bool Double(double v);
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return scalar(); }
  bool String(const char* text, rapidjson::SizeType length, bool copy);
  bool Key(const char* text, rapidjson::SizeType length, bool copy);
  bool StartObject();
  bool EndObject(rapidjson::SizeType);
  bool StartArray();
  bool EndArray(rapidjson::SizeType);

 private:
  enum class At {
    other,
    root,
    choices,
    choice,
    delta,
    tool_calls,
    tool_call,
    function,
    usage,
    prompt_details,
    completion_details
  };

  struct Choice {
    long long index = 0;
    std::string content;
    std::string reasoning;
    std::string finish_reason;
    std::vector<ToolCallDelta> tool_calls;
  };

  At top() const { return path_.empty() ? At::other : path_.back(); }
  bool at_tool_call_index() const { return top() == At::tool_call && key_ == "index"; }
  bool decline() {
    declined_ = true;
    return false;
  }
  bool enter(At next);
  bool scalar();
  bool integer(long long value);
  void reset_choice();
  void end_choice();

  rapidjson::Reader reader_;
  std::string scratch_;  // a copy of the chunk, parsed in place: strings need no copying
  std::vector<At> path_;
  std::string_view key_;  // points into scratch_
  Choice choice_;
  std::vector<StreamEvent> pending_;
  Usage usage_;
  bool has_usage_ = false;
  bool declined_ = false;
};

}  // namespace llmrt::plugins::openai_compat
