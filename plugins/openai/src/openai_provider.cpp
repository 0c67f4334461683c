#include "openai_provider.h"

#include "endpoint.h"

#include "llmrt/plugins/openai_compat/chat_body.h"
#include "llmrt/plugins/openai_compat/chunk_decoder.h"
#include "llmrt/plugins/openai_compat/error_classifier.h"
#include "llmrt/plugins/openai_compat/response_parser.h"
#include "llmrt/sdk/plain_text.h"
#include "llmrt/sdk/string_map.h"

namespace llmrt::plugins::openai {
namespace {

// A constant, not info()'s: build_request runs per call, and info() builds its strings each time.
constexpr std::string_view kDefaultBase = "https://api.openai.com/v1";

}  // namespace

ProviderInfo OpenAiProvider::info() const {
  return {.name = "openai",
          .default_api_base = std::string(kDefaultBase),
          .key_env_var = "OPENAI_API_KEY",
          .description = "OpenAI chat completions and OpenAI-compatible servers",
          .base_url_env_var = "OPENAI_BASE_URL",  // as the OpenAI SDKs read it
          .options = {"max_tokens_cap", "project", "api_version", "deployment", "auth"}};
}

HttpRequest OpenAiProvider::build_request(const ChatRequest& request,
                                          const Credentials& credentials) const {
  Endpoint endpoint = endpoint_for(request, kDefaultBase);
  HttpRequest http =
      openai_compat::json_post(std::move(endpoint.url), credentials.api_key, request.stream);
  if (endpoint.api_key_header) use_api_key_header(http, credentials.api_key);
  if (!credentials.organization.empty()) {
    http.headers.emplace_back("OpenAI-Organization", credentials.organization);
  }
  if (const std::string* project = find_entry(request.options, "project")) {
    http.headers.emplace_back("OpenAI-Project", *project);
  }
  openai_compat::BodyOptions options;
  options.warnings = &http.warnings;
  http.body = openai_compat::render_chat_body(request, options);
  openai_compat::warn_unsent_reasoning(request.messages, "openai", http.warnings);
  return http;
}

ChatResult OpenAiProvider::parse_response(const HttpResponse& response) const {
  return openai_compat::parse_chat_completion(response);
}

std::unique_ptr<StreamDecoder> OpenAiProvider::new_stream_decoder(
    const ChatRequest& /*request*/, const StreamContext& context) const {
  // Some OpenAI-compatible servers stream the reply as plain text (DB-GPT's model servers).
  if (is_plain_text(context.headers)) return std::make_unique<PlainTextDecoder>();
  return std::make_unique<openai_compat::ChunkStreamDecoder>(context.limits);
}

ErrorInfo OpenAiProvider::classify_error(const HttpResponse& response) const {
  return openai_compat::classify_error(response);
}

}  // namespace llmrt::plugins::openai
