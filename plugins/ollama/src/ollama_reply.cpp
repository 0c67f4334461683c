// The reply side of /api/chat: one JSON object per line while streaming, the same object whole
// otherwise (ollama/ollama docs/api.md). Errors are {"error": "text"}, under an error status or
// as a line of the stream.
#include "llmrt/sdk/chat_result_builder.h"
#include "llmrt/sdk/error_table.h"
#include "llmrt/sdk/ndjson.h"
#include "llmrt/sdk/plugin_abi.h"
#include "llmrt/sdk/snippet.h"
#include "llmrt/sdk/version.h"
#include "ollama_provider.h"

namespace llmrt::plugins::ollama {
namespace {

using K = ErrorKind;
using json::Type;

// Ollama's errors carry only a message; under an HTTP status (404 "model 'x' not found, try
// pulling it first", 400, 500) the status decides. Inside a stream the words do.
constexpr ErrorRule kRules[] = {
    // The machine cannot load the model: retrying the same request cannot help.
    {.message = "requires more system memory", .kind = K::server, .retryable = false},
    {.status = kNoErrorStatus, .message = "not found", .kind = K::not_found},
    {.status = kNoErrorStatus, .message = "does not support", .kind = K::bad_request},
    {.status = kNoErrorStatus, .message = "unauthorized", .kind = K::auth},
};
constexpr ErrorTable kErrors{kRules};

// Absent or null, or of type `t`.
bool is(const json::Value& v, Type t) { return !v.exists() || v.is_null() || v.type() == t; }

void require(bool ok, std::size_t line, std::string_view what) {
  if (ok) return;
  throw Error(K::protocol, "Ollama reply line " + std::to_string(line) + ": " + std::string(what));
}

// Turns each object of a reply into events. Ollama's calls have no ids (newer servers send
// one): a call without one is named by its place in the reply, the same in every split.
class ChatDecoder final : public StreamDecoder {
 public:
  explicit ChatDecoder(const DecoderLimits& limits = {}) : lines_(limits) {}

  void feed(std::string_view bytes, std::vector<StreamEvent>& out) override {
    lines_.feed(bytes, [&](const json::Value& v, std::size_t line) { take(v, line, out); });
  }
  void finish(std::vector<StreamEvent>& out) override {
    lines_.finish([&](const json::Value& v, std::size_t line) { take(v, line, out); });
  }

  void take(const json::Value& chunk, std::size_t line, std::vector<StreamEvent>& out) {
    if (done_) return;
    if (const json::Value error = chunk["error"]; error.exists() && !error.is_null()) {
      done_ = true;
      out.emplace_back(ErrorEvent{error_from_json(error, kErrors, 0)});
      return;
    }
    const json::Value message = chunk["message"], calls = message["tool_calls"];
    const json::Value thinking = message["thinking"], content = message["content"];
    require(chunk.is_object() && is(message, Type::object) && is(calls, Type::array) &&
                is(thinking, Type::string) && is(content, Type::string) &&
                is(chunk["done"], Type::boolean) && is(chunk["done_reason"], Type::string),
            line, "not an object of /api/chat's shape");
    if (auto t = thinking.str(); !t.empty()) out.emplace_back(ReasoningDelta{std::string(t)});
    if (auto t = content.str(); !t.empty()) out.emplace_back(ContentDelta{std::string(t)});
    for (const json::Value call : calls.items()) {
      const json::Value fn = call["function"], args = fn["arguments"];
      require(fn.is_object() && is(fn["name"], Type::string) && is(call["id"], Type::string) &&
                  (is(args, Type::object) || args.is_string()),
              line, "a tool call is not {\"function\": {\"name\", \"arguments\": {…}}}");
      ToolCallDelta delta{calls_++, std::string(call["id"].str()), std::string(fn["name"].str()),
                          std::string(args.is_object() ? args.raw() : args.str("{}"))};
      if (delta.id.empty()) delta.id = "call_" + std::to_string(delta.index);
      out.emplace_back(std::move(delta));
    }
    if (chunk["done"].as_bool().value_or(false)) finish_reply(chunk, out);
  }

 private:
  // The last object: why it stopped ("stop", "length", or "load"/"unload" for a request that
  // only loaded or unloaded the model) and the token counts.
  void finish_reply(const json::Value& chunk, std::vector<StreamEvent>& out) {
    const std::string raw(chunk["done_reason"].str());
    FinishReason reason = raw.empty()
                              ? FinishReason::stop
                              : finish_reason_from_string(raw).value_or(FinishReason::other);
    // Ollama says "stop" after tool calls too.
    if (reason == FinishReason::stop && calls_ > 0) reason = FinishReason::tool_calls;
    out.emplace_back(FinishEvent{reason, raw});
    const auto prompt = chunk["prompt_eval_count"].as_count();
    const auto completion = chunk["eval_count"].as_count();
    const long long in = prompt.value_or(0), generated = completion.value_or(0);
    if (prompt || completion) out.emplace_back(UsageEvent{{in, generated, in + generated}});
    done_ = true;
    out.emplace_back(DoneEvent{});
  }

  NdjsonDecoder lines_;
  std::int64_t calls_ = 0;
  bool done_ = false;
};

}  // namespace

ChatResult OllamaProvider::parse_response(const HttpResponse& response) const {
  // One object, maybe spread over lines (a proxy that pretty-prints it): parsed whole.
  const json::Document doc = json::Document::parse(response.body);
  if (const json::Value error = doc.root()["error"]; error.exists() && !error.is_null()) {
    throw Error(error_from_json(error, kErrors, response.status, K::server));  // as in a stream
  }
  std::vector<StreamEvent> events;
  ChatDecoder().take(doc.root(), 1, events);
  if (events.empty() || !std::holds_alternative<DoneEvent>(events.back())) {
    throw Error(K::protocol, "Ollama reply without \"done\": true: " + snippet(response.body, 80));
  }
  ChatResultBuilder result;
  for (const StreamEvent& event : events) result.add(event);
  return result.result();
}

std::unique_ptr<StreamDecoder> OllamaProvider::new_stream_decoder(
    const ChatRequest& /*request*/, const StreamContext& context) const {
  return std::make_unique<ChatDecoder>(context.limits);
}

ErrorInfo OllamaProvider::classify_error(const HttpResponse& response) const {
  return error_from_response(response, kErrors);
}

}  // namespace llmrt::plugins::ollama

LLMRT_EXPORT_PLUGIN(llmrt::plugins::ollama::OllamaProvider, "ollama", LLMRT_VERSION_STRING)
