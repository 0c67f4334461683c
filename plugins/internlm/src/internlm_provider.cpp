#include "internlm_provider.h"

#include <cctype>

#include "llmrt/plugins/openai_compat/chat_body.h"
#include "llmrt/plugins/openai_compat/chunk_decoder.h"
#include "llmrt/plugins/openai_compat/response_parser.h"
#include "llmrt/sdk/plain_text.h"
#include "puyu_errors.h"

namespace llmrt::plugins::internlm {
namespace {

// The body keys the Puyu API documents; anything else is refused rather than sent.
const std::set<std::string, std::less<>> kAllowedKeys{"model",       "messages", "n",
                                                      "temperature", "top_p",    "stream",
                                                      "max_tokens",  "tools",    "thinking_mode"};

// Users paste the token with or without its "Bearer " prefix; exactly one is sent.
std::string_view without_bearer(std::string_view token) {
  constexpr std::string_view kBearer = "bearer ";
  if (token.size() >= kBearer.size()) {
    bool same = true;
    for (std::size_t i = 0; i < kBearer.size(); ++i) {
      same = same && std::tolower(static_cast<unsigned char>(token[i])) == kBearer[i];
    }
    if (same) token.remove_prefix(kBearer.size());
  }
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  return token;
}

std::optional<ErrorInfo> puyu_stream_error(const json::Value& event) {
  return puyu_error(event, 0);
}

// A constant, not info()'s: build_request runs per call, and info() builds its strings each time.
constexpr std::string_view kDefaultBase = "https://chat.intern-ai.org.cn/api/v1";

}  // namespace

ProviderInfo InternLmProvider::info() const {
  return {.name = "internlm",
          .default_api_base = std::string(kDefaultBase),
          .key_env_var = "INTERNLM_API_KEY",
          .description = "InternLM models on the Puyu chat API",
          // No SDK of its own names one; INTERNLM_API_BASE is what InternLM users set beside
          // INTERNLM_API_KEY.
          .base_url_env_var = "INTERNLM_API_BASE",
          .options = {"max_tokens_cap"}};
}

HttpRequest InternLmProvider::build_request(const ChatRequest& request,
                                            const Credentials& credentials) const {
  // Users paste the token with or without its "Bearer " prefix; exactly one is sent.
  HttpRequest http = openai_compat::json_post(
      resolve_endpoint(request.api_base.empty() ? kDefaultBase : request.api_base,
                       "chat/completions"),
      without_bearer(credentials.api_key), request.stream);
  // Puyu's documented parameters include tools but not tool_choice: refused rather than sent to
  // an API that says it takes no other parameter.
  if (request.params.tool_choice) {
    throw Error(ErrorKind::bad_request,
                "parameter 'tool_choice' is not supported by the Puyu API (internlm): it takes "
                "tools, and the model decides whether to call one");
  }
  openai_compat::BodyOptions options;
  options.stream_usage = false;  // stream_options is not a documented parameter
  options.allowed_keys = &kAllowedKeys;
  options.warnings = &http.warnings;
  options.api_name = "the Puyu chat API";
  http.body = openai_compat::render_chat_body(request, options);
  openai_compat::warn_unsent_reasoning(request.messages, "internlm", http.warnings);
  return http;
}

ChatResult InternLmProvider::parse_response(const HttpResponse& response) const {
  if (std::optional<json::Document> doc = json::Document::try_parse(response.body)) {
    if (auto error = puyu_error(doc->root(), response.status)) throw Error(std::move(*error));
  }
  return openai_compat::parse_chat_completion(response);
}

std::unique_ptr<StreamDecoder> InternLmProvider::new_stream_decoder(
    const ChatRequest& /*request*/, const StreamContext& context) const {
  if (is_plain_text(context.headers)) return std::make_unique<PlainTextDecoder>();
  return std::make_unique<openai_compat::ChunkStreamDecoder>(context.limits, kPuyuErrors,
                                                             puyu_stream_error);
}

ErrorInfo InternLmProvider::classify_error(const HttpResponse& response) const {
  return internlm::classify_error(response);
}

}  // namespace llmrt::plugins::internlm
