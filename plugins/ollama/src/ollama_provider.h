#pragma once

#include "llmrt/sdk/provider.h"

namespace llmrt::plugins::ollama {

// Ollama's native chat API (POST {base}/api/chat, docs/api.md in ollama/ollama): a local server
// that takes no key (one given is sent as a Bearer token, for a proxy in front), sampling
// settings in `options`, and a stream of newline-delimited JSON objects, the last with
// "done": true, its done_reason and the token counts.
class OllamaProvider final : public Provider {
 public:
  ProviderInfo info() const override;
  HttpRequest build_request(const ChatRequest& request,
                            const Credentials& credentials) const override;
  ChatResult parse_response(const HttpResponse& response) const override;
  std::unique_ptr<StreamDecoder> new_stream_decoder(const ChatRequest& request,
                                                    const StreamContext& context) const override;
  ErrorInfo classify_error(const HttpResponse& response) const override;
};

}  // namespace llmrt::plugins::ollama
