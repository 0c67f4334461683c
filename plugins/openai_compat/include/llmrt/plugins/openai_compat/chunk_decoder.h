#pragma once

#include <vector>

#include "llmrt/plugins/openai_compat/chunk_reader.h"
#include "llmrt/sdk/json.h"
#include "llmrt/sdk/provider.h"

namespace llmrt::plugins::openai_compat {

// Appends the events of one chat.completion.chunk object: content, reasoning, tool-call
// fragments, finish reason and usage of choice 0 (llmrt always asks for n=1).
void decode_chunk(const llmrt::json::Value& chunk, std::vector<StreamEvent>& out);

// Decodes an OpenAI-style SSE body: `data: {chunk}` events up to `data: [DONE]` (with or
// without the space). An event carrying an `error` object becomes an ErrorEvent.
class ChunkStreamDecoder : public StreamDecoder {
 public:
  explicit ChunkStreamDecoder(const DecoderLimits& limits);

  void feed(std::string_view bytes, std::vector<StreamEvent>& out) override;
  void finish(std::vector<StreamEvent>& out) override;

 protected:
  // Called for every JSON event before it is decoded as a chunk; returns true when it has
  // handled the event (derived decoders recognise their provider's own error objects here).
  virtual bool decode_special(const llmrt::json::Value& event, std::vector<StreamEvent>& out);

 private:
  void on_event(const SseEvent& event, std::vector<StreamEvent>& out);

  SseDecoder sse_;
  ChunkReader fast_;              // plain chunks
  llmrt::json::Document parsed_;  // everything else, one event after another
  bool done_ = false;
};

}  // namespace llmrt::plugins::openai_compat
