#include "qwen_provider.h"

#include "dashscope_body.h"
#include "dashscope_errors.h"
#include "dashscope_response.h"
#include "dashscope_stream_decoder.h"
#include "llmrt/plugins/openai_compat/chat_body.h"
#include "llmrt/plugins/openai_compat/chunk_decoder.h"
#include "llmrt/plugins/openai_compat/response_parser.h"
#include "llmrt/sdk/plain_text.h"
#include "llmrt/sdk/string_map.h"

namespace llmrt::plugins::qwen {
namespace {

constexpr const char* kNativeBase = "https://dashscope.aliyuncs.com/api/v1";
constexpr const char* kCompatibleBase = "https://dashscope.aliyuncs.com/compatible-mode/v1";
constexpr const char* kNativePath = "services/aigc/text-generation/generation";

// DashScope sends its native error frame in the compatible mode's stream too (`event:error`,
// `{"code": "Throttling.AllocationQuota", "message", "request_id"}`): an error like the
// OpenAI-shaped one.
std::optional<ErrorInfo> native_error_frame(const json::Value& event) {
  if (event["choices"].exists() || event["code"].text().empty()) return std::nullopt;
  return error_from_native(event, 0);
}

}  // namespace

bool compatible_mode(const ChatRequest& request) {
  if (const std::string* mode = find_entry(request.options, "mode")) {
    if (*mode == "compatible") return true;
    if (*mode == "native") return false;
    throw Error(ErrorKind::bad_request,
                "qwen option mode must be 'native' or 'compatible', got '" + *mode + "'");
  }
  return request.api_base.find("compatible-mode") != std::string::npos ||
         request.api_base.find("/chat/completions") != std::string::npos;
}

ProviderInfo QwenProvider::info() const {
  return {.name = "qwen",
          .default_api_base = kNativeBase,
          .key_env_var = "DASHSCOPE_API_KEY",
          .description = "Alibaba DashScope (Qwen): native protocol, or OpenAI-compatible mode",
          // The DashScope SDK's variable; like its default, a native-protocol base.
          .base_url_env_var = "DASHSCOPE_HTTP_BASE_URL",
          .options = {"mode", "max_tokens_cap"}};
}

HttpRequest QwenProvider::build_request(const ChatRequest& request,
                                        const Credentials& credentials) const {
  const bool compatible = compatible_mode(request);
  HttpRequest http = openai_compat::json_post(
      compatible ? resolve_endpoint(request.api_base.empty() ? kCompatibleBase : request.api_base,
                                    "chat/completions")
                 : resolve_endpoint(request.api_base.empty() ? kNativeBase : request.api_base,
                                    kNativePath),
      credentials.api_key, request.stream);
  if (compatible) {
    ChatRequest mapped = request;
    mapped.messages = dashscope_messages(request.messages, false);
    openai_compat::BodyOptions options;
    options.warnings = &http.warnings;
    options.api_name = "DashScope's OpenAI-compatible mode";
    http.body = openai_compat::render_chat_body(mapped, options);
  } else {
    http.body = render_native_body(request, &http.warnings);
  }
  openai_compat::warn_unsent_reasoning(request.messages, "qwen", http.warnings);
  // Only on streaming calls: with it, DashScope answers even a whole reply in SSE.
  if (request.stream && !compatible) http.headers.emplace_back("X-DashScope-SSE", "enable");
  return http;
}

ChatResult QwenProvider::parse_response(const HttpResponse& response) const {
  std::optional<json::Document> doc = json::Document::try_parse(response.body);
  const bool openai_shape =
      doc && (doc->root()["choices"].exists() || doc->root()["error"].exists());
  if (!openai_shape) return parse_native_response(response);
  try {
    return openai_compat::parse_chat_completion(response);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::protocol) throw;
    throw Error(classify_error(response));  // DashScope's codes in the compatible error
  }
}

std::unique_ptr<StreamDecoder> QwenProvider::new_stream_decoder(
    const ChatRequest& request, const StreamContext& context) const {
  if (compatible_mode(request)) {
    // Some servers behind a compatible-mode URL answer in plain text (DB-GPT's model servers).
    if (is_plain_text(context.headers)) return std::make_unique<PlainTextDecoder>();
    return std::make_unique<openai_compat::ChunkStreamDecoder>(context.limits, kDashScopeErrors,
                                                               native_error_frame);
  }
  return std::make_unique<DashScopeStreamDecoder>(!incremental_output(request), context.limits);
}

ErrorInfo QwenProvider::classify_error(const HttpResponse& response) const {
  return qwen::classify_error(response);
}

}  // namespace llmrt::plugins::qwen
