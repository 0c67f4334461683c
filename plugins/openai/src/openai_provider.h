#pragma once

#include "llmrt/sdk/provider.h"

namespace llmrt::plugins::openai {

// OpenAI's chat completions, and every server that speaks them (vLLM, llama.cpp, LMDeploy,
// Ollama's /v1, DeepSeek, …): only the api base differs.
class OpenAiProvider final : public Provider {
 public:
  ProviderInfo info() const override;
  HttpRequest build_request(const ChatRequest& request,
                            const Credentials& credentials) const override;
  ChatResult parse_response(const HttpResponse& response) const override;
  std::unique_ptr<StreamDecoder> new_stream_decoder(const ChatRequest& request,
                                                    const StreamContext& context) const override;
  ErrorInfo classify_error(const HttpResponse& response) const override;
};

}  // namespace llmrt::plugins::openai
