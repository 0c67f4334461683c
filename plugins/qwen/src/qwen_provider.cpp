#include "qwen_provider.h"

#include "dashscope_body.h"
#include "dashscope_errors.h"
#include "dashscope_response.h"
#include "dashscope_stream_decoder.h"
#include "llmrt/plugins/openai_compat/chat_body.h"
#include "llmrt/plugins/openai_compat/chunk_decoder.h"
#include "llmrt/plugins/openai_compat/response_parser.h"

namespace llmrt::plugins::qwen {
namespace {

constexpr const char* kNativeBase = "https://dashscope.aliyuncs.com/api/v1";
constexpr const char* kCompatibleBase = "https://dashscope.aliyuncs.com/compatible-mode/v1";
constexpr const char* kNativePath = "services/aigc/text-generation/generation";

// The compatible mode's stream, with DashScope's codes in its error objects. DashScope also
// sends its native error frame there (`event:error`, `{"code": "Throttling.AllocationQuota",
// "message", "request_id"}`), which is an error like the OpenAI-shaped one.
class CompatibleStreamDecoder final : public openai_compat::ChunkStreamDecoder {
 public:
  using ChunkStreamDecoder::ChunkStreamDecoder;

 protected:
  bool decode_special(const json::Value& event, std::vector<StreamEvent>& out) override {
    if (ChunkStreamDecoder::decode_special(event, out)) {
      auto& error = std::get<ErrorEvent>(out.back()).error;
      if (auto kind = dashscope_kind(error.code, error.message)) error.kind = *kind;
      return true;
    }
    if (!event["choices"].exists() && !event["code"].text().empty()) {
      out.emplace_back(ErrorEvent{error_from_native(event, 0)});
      return true;
    }
    return false;
  }
};

}  // namespace

bool compatible_mode(const ChatRequest& request) {
  if (auto it = request.options.find("mode"); it != request.options.end()) {
    if (it->second == "compatible") return true;
    if (it->second == "native") return false;
    throw Error(ErrorKind::bad_request,
                "qwen option mode must be 'native' or 'compatible', got '" + it->second + "'");
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
    http.body = openai_compat::render_chat_body(mapped);
  } else {
    http.body = render_native_body(request);
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
  if (compatible_mode(request)) return std::make_unique<CompatibleStreamDecoder>(context.limits);
  return std::make_unique<DashScopeStreamDecoder>(!incremental_output(request), context.limits);
}

ErrorInfo QwenProvider::classify_error(const HttpResponse& response) const {
  return qwen::classify_error(response);
}

}  // namespace llmrt::plugins::qwen
