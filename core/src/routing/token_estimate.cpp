#include "routing/token_estimate.h"

#include "llmrt/core/chat_token_count.h"
#include "llmrt/core/tokenizer.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

std::string encoding_of(const ModelConfig& config) {
  if (!config.encoding.empty()) return config.encoding;
  return find_encoding_for_model(config.model).value_or("o200k_base");
}

long long bytes_over_four(const std::vector<Message>& messages) {
  std::size_t bytes = 0;
  for (const Message& m : messages) bytes += m.content.size() + m.role.size() + 4;
  const std::size_t tokens = bytes / 4 + 1;
  return static_cast<long long>(tokens);
}

}  // namespace

long long estimate_request_tokens(const ModelState& model, const ChatRequest& request) {
  long long prompt = 0;
  try {
    auto tokenizer = Tokenizer::get(encoding_of(model.config));
    prompt = static_cast<long long>(count_chat_tokens(*tokenizer, request.messages,
                                                      chat_framing_for_model(model.config.model)));
  } catch (const Error&) {
    prompt = bytes_over_four(request.messages);  // no rank file: a rough count beats none
  }
  const auto& limit = request.params.max_new_tokens;
  return prompt + (limit ? static_cast<long long>(*limit) : kDefaultOutputEstimate);
}

}  // namespace llmrt::core
