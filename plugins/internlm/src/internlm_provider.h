#pragma once

#include "llmrt/sdk/provider.h"

namespace llmrt::plugins::internlm {

// Shanghai AI Lab's Puyu chat API for InternLM models: an OpenAI-style protocol (LMDeploy's
// server) restricted to the parameters it documents, with its own error shapes.
class InternLmProvider final : public Provider {
 public:
  ProviderInfo info() const override;
  HttpRequest build_request(const ChatRequest& request,
                            const Credentials& credentials) const override;
  ChatResult parse_response(const HttpResponse& response) const override;
  std::unique_ptr<StreamDecoder> new_stream_decoder(const ChatRequest& request,
                                                    const StreamContext& context) const override;
  ErrorInfo classify_error(const HttpResponse& response) const override;
};

}  // namespace llmrt::plugins::internlm
