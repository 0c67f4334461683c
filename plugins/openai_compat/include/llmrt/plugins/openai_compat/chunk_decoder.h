#pragma once

#include <optional>
#include <vector>

#include "llmrt/plugins/openai_compat/chunk_reader.h"
#include "llmrt/plugins/openai_compat/error_classifier.h"
#include "llmrt/sdk/json.h"
#include "llmrt/sdk/provider.h"

namespace llmrt::plugins::openai_compat {

// Appends the events of one chat.completion.chunk object: content, reasoning, tool-call
// fragments, finish reason and usage of choice 0 (llmrt always asks for n=1).
void decode_chunk(const llmrt::json::Value& chunk, std::vector<StreamEvent>& out);

// A provider's own error shape inside a stream (Puyu's {"code": -20003}, DashScope's native
// error frame): the error an event carries, or null.
using ProviderErrorReader = std::optional<ErrorInfo> (*)(const llmrt::json::Value& event);

// Decodes an OpenAI-style SSE body: `data: {chunk}` events up to `data: [DONE]` (with or
// without the space). An event carrying an `error` object, a FastChat error, or what
// `provider_error` recognises becomes an ErrorEvent, classified by `errors` (which must outlive
// the decoder: a table of static data).
class ChunkStreamDecoder final : public StreamDecoder {
 public:
  explicit ChunkStreamDecoder(const DecoderLimits& limits, const ErrorTable& errors = kErrorTable,
                              ProviderErrorReader provider_error = nullptr);

  void feed(std::string_view bytes, std::vector<StreamEvent>& out) override;
  void finish(std::vector<StreamEvent>& out) override;

 private:
  void on_event(const SseEvent& event, std::vector<StreamEvent>& out);
  // The error an event carries, in any of the shapes above; null for a chunk.
  std::optional<ErrorInfo> error_in(const llmrt::json::Value& event) const;

  const ErrorTable* errors_;
  ProviderErrorReader provider_error_;
  SseDecoder sse_;
  ChunkReader fast_;              // plain chunks
  llmrt::json::Document parsed_;  // everything else, one event after another
  bool done_ = false;
};

}  // namespace llmrt::plugins::openai_compat
