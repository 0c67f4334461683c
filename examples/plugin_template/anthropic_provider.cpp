// The Provider: what the runtime calls. Requests, whole replies and errors here; the stream in
// anthropic_stream.cpp, the body in anthropic_request.cpp.
#include "anthropic.h"
#include "llmrt/sdk/chat_result_builder.h"
#include "llmrt/sdk/plugin_abi.h"

namespace example {

llmrt::FinishEvent finish_event(std::string_view stop_reason) {
  using llmrt::FinishReason;
  static const std::map<std::string_view, FinishReason> kReasons{
      {"end_turn", FinishReason::stop},           {"stop_sequence", FinishReason::stop},
      {"max_tokens", FinishReason::length},       {"tool_use", FinishReason::tool_calls},
      {"refusal", FinishReason::content_filter},
  };
  auto it = kReasons.find(stop_reason);
  return {it == kReasons.end() ? FinishReason::other : it->second, std::string(stop_reason)};
}

// https://docs.anthropic.com/en/api/errors: the error's type decides; the status is the fallback.
llmrt::ErrorInfo classify(llmrt::json::Value body, int status) {
  using llmrt::ErrorKind;
  static const std::map<std::string_view, ErrorKind> kKinds{
      {"invalid_request_error", ErrorKind::bad_request},
      {"authentication_error", ErrorKind::auth},
      {"billing_error", ErrorKind::quota_exhausted},
      {"permission_error", ErrorKind::permission},
      {"not_found_error", ErrorKind::not_found},
      {"request_too_large", ErrorKind::bad_request},
      {"rate_limit_error", ErrorKind::rate_limited},
      {"api_error", ErrorKind::server},
      {"overloaded_error", ErrorKind::server},
  };
  const llmrt::json::Value error = body["error"];
  llmrt::ErrorInfo info;
  info.http_status = status;
  info.code = error["type"].str();
  info.message = error["message"].str();
  info.request_id = body["request_id"].str();
  auto it = kKinds.find(info.code);
  if (it != kKinds.end()) {
    info.kind = it->second;
  } else {
    info.kind = llmrt::kind_for_http_status(status).value_or(ErrorKind::server);
  }
  if (info.kind == ErrorKind::bad_request && info.message.find("prompt is too long") == 0) {
    info.kind = ErrorKind::context_length;
  }
  // Overloaded is temporary: the same request may succeed in a moment.
  if (info.code == "overloaded_error" || status == 529) info.retryable = true;
  return info;
}

namespace {

class AnthropicProvider final : public llmrt::Provider {
 public:
  llmrt::ProviderInfo info() const override {
    return {.name = "anthropic_example",
            .default_api_base = "https://api.anthropic.com/v1",
            .key_env_var = "ANTHROPIC_API_KEY",
            .description = "Anthropic Messages API (the plugin template)",
            .base_url_env_var = "ANTHROPIC_BASE_URL"};
  }

  llmrt::HttpRequest build_request(const llmrt::ChatRequest& request,
                                   const llmrt::Credentials& credentials) const override {
    llmrt::HttpRequest http;
    http.url = llmrt::resolve_endpoint(
        request.api_base.empty() ? info().default_api_base : request.api_base, "messages");
    http.headers = {{"x-api-key", credentials.api_key},
                    {"anthropic-version", kApiVersion},
                    {"content-type", "application/json"}};
    if (request.stream) http.headers.emplace_back("accept", "text/event-stream");
    http.body = render_body(request, http.warnings);
    return http;
  }

  llmrt::ChatResult parse_response(const llmrt::HttpResponse& response) const override {
    auto doc = llmrt::json::Document::parse(response.body);
    const llmrt::json::Value root = doc.root();
    if (root["type"].str() == "error") throw llmrt::Error(classify(root, response.status));
    if (!root["content"].is_array()) {
      throw llmrt::Error(llmrt::ErrorKind::protocol, "a Messages reply without \"content\"");
    }
    // The blocks of a whole reply become the events a stream would give: one way to build it.
    llmrt::ChatResultBuilder builder;
    std::int64_t block = 0;
    std::int64_t call = 0;
    for (llmrt::json::Value b : root["content"].items()) {
      const std::string_view type = b["type"].str();
      if (type == "text") builder.add(llmrt::ContentDelta{std::string(b["text"].str())});
      if (type == "thinking") {
        builder.add(llmrt::ReasoningDelta{std::string(b["thinking"].str()),
                                          std::string(b["signature"].str()), {}, block});
      }
      if (type == "redacted_thinking") {
        builder.add(llmrt::ReasoningDelta{{}, {}, std::string(b["data"].str()), block});
      }
      if (type == "tool_use") {
        builder.add(llmrt::ToolCallDelta{call++, std::string(b["id"].str()),
                                         std::string(b["name"].str()),
                                         std::string(b["input"].raw())});
      }
      ++block;
    }
    if (auto reason = root["stop_reason"].as_string()) builder.add(finish_event(*reason));
    const llmrt::json::Value usage = root["usage"];
    const long long input = usage["input_tokens"].as_count().value_or(0);
    const long long output = usage["output_tokens"].as_count().value_or(0);
    if (usage.exists()) builder.add(llmrt::UsageEvent{{input, output, input + output}});
    return builder.result();
  }

  std::unique_ptr<llmrt::StreamDecoder> new_stream_decoder(
      const llmrt::ChatRequest&, const llmrt::StreamContext& context) const override {
    return new_decoder(context);
  }

  // Any body: an HTML page from a proxy or nothing at all classifies by the status alone.
  llmrt::ErrorInfo classify_error(const llmrt::HttpResponse& response) const override {
    auto doc = llmrt::json::Document::try_parse(response.body);
    llmrt::ErrorInfo info = classify(doc ? doc->root() : llmrt::json::Value(), response.status);
    if (info.message.empty()) info.message = response.body.substr(0, 200);
    if (info.request_id.empty()) info.request_id = llmrt::request_id_from(response.headers);
    if (const std::string* after = llmrt::find_header(response.headers, "retry-after")) {
      // Seconds, as Anthropic sends it; an HTTP date or garbage is ignored.
      if (!after->empty() && after->find_first_not_of("0123456789") == std::string::npos &&
          after->size() < 7) {
        info.retry_after = std::chrono::seconds(std::stoll(*after));
      }
    }
    return info;
  }
};

}  // namespace
}  // namespace example

LLMRT_EXPORT_PLUGIN(example::AnthropicProvider, "anthropic_example", "0.1.0")
