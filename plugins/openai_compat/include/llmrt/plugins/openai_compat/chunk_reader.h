#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/plugins/openai_compat/chunk_frame.h"
#include "llmrt/sdk/json_scanner.h"
#include "llmrt/sdk/stream_event.h"

namespace llmrt::plugins::openai_compat {

// Reads the fields llmrt uses from a chat.completion.chunk in one pass of a json::Scanner,
// skipping the rest (id, model, created, fingerprints) without building a tree: decode_chunk
// on a json::Document gave the same events at several times the cost, and a stream is mostly
// chunks. It reads as decode_chunk does — the last of a repeated member wins, a member of
// another type counts as absent — and declines (returns false, appending nothing) on anything
// that is not a plain chunk: malformed JSON, nesting deeper than kMaxJsonDepth, a tool call
// whose index is no 64-bit integer, or a top-level "error", "code", "msgCode", "success" or
// "error_code" member. The general path (ChunkStreamDecoder) reports or handles those.
//
// A server's chunks mostly differ in their strings alone: the same shape around new content
// (and, from some servers, a new id or padding). A chunk whose only event is its content is
// kept as a ChunkFrame; a next chunk that matches it is read from its content hole alone.
class ChunkReader {
 public:
  bool read(std::string_view json, std::vector<StreamEvent>& out);
  // A whole server-sent event at the start of `bytes` whose data is a chunk that matches the
  // kept frame, framed as nearly every server frames one ("data: " + chunk + "\n\n", no longer
  // than `max_event_bytes`): read as read() would read that chunk, and taken off `bytes`. False,
  // `bytes` as it was, for anything else: the SSE decoder is then the one to read it.
  bool read_event(std::string_view& bytes, std::size_t max_event_bytes,
                  std::vector<StreamEvent>& out);

  // The frame kept from the last chunk read (for tests).
  const ChunkFrame& frame() const noexcept { return frame_; }

 private:
  struct Choice {
    bool first = true;  // choice 0: "index" absent, null or 0
    std::string content;
    ChunkFrame::Hole content_at;  // where the string that is `content` stands in the chunk
    std::string reasoning_content;
    std::string reasoning;
    std::string finish_reason;
    std::vector<ToolCallDelta> tool_calls;

    // What a "delta" member holds (a repeated one replaces it); the buffers are kept.
    void clear_delta() {
      content.clear();
      reasoning_content.clear();
      reasoning.clear();
      tool_calls.clear();
    }
  };

  bool read_whole(std::string_view json);
  void keep_frame(std::string_view json);
  bool skip_member();
  bool read_choices();
  bool read_choice();
  bool read_delta();
  bool read_tool_calls();
  bool read_tool_call(ToolCallDelta& call);
  void assign_string(std::string& to);

  json::Scanner scanner_;
  Choice choice_;
  std::vector<StreamEvent> choice_events_;  // from the last "choices" member
  std::optional<Usage> usage_;              // from the last "usage" member, if an object
  int contents_ = 0;                        // ContentDelta events in choice_events_
  ChunkFrame::Hole content_at_;             // where the last one's string stands
  std::vector<ChunkFrame::Hole> holes_;     // string values skipped, in order
  ChunkFrame frame_;
};

}  // namespace llmrt::plugins::openai_compat
