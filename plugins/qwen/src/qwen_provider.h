#pragma once

#include "llmrt/sdk/provider.h"

namespace llmrt::plugins::qwen {

// Alibaba DashScope (Qwen). The native text-generation protocol by default; the
// OpenAI-compatible mode when the model option "mode" is "compatible" (or the api base is a
// compatible-mode URL). Responses are told apart by their shape, so parsing needs no mode.
class QwenProvider final : public Provider {
 public:
  ProviderInfo info() const override;
  HttpRequest build_request(const ChatRequest& request,
                            const Credentials& credentials) const override;
  ChatResult parse_response(const HttpResponse& response) const override;
  std::unique_ptr<StreamDecoder> new_stream_decoder(const ChatRequest& request,
                                                    const StreamContext& context) const override;
  ErrorInfo classify_error(const HttpResponse& response) const override;
};

// Whether a request uses the compatible mode. Throws Error (bad_request) on an unknown mode.
bool compatible_mode(const ChatRequest& request);

}  // namespace llmrt::plugins::qwen
