// The template for a provider plugin: Cohere's v2 Chat API (POST /v2/chat,
// https://docs.cohere.com/reference/chat), whose stream is server-sent events named by type
// (message-start, content-delta, message-end, …). It shows the whole contract in a small space:
// the request, the stream on SseDispatcher, a whole reply, errors from an ErrorTable. A plugin
// includes only llmrt's sdk headers and does no I/O. Rename it, keep the shape.
#include <map>

#include "llmrt/sdk/chat_result_builder.h"
#include "llmrt/sdk/error_table.h"
#include "llmrt/sdk/json_writer.h"
#include "llmrt/sdk/plugin_abi.h"
#include "llmrt/sdk/sse_dispatch.h"

namespace example {
using namespace llmrt;
namespace {

using Events = std::vector<StreamEvent>;
constexpr const char* kBase = "https://api.cohere.com/v2";

// What the status alone does not tell (https://docs.cohere.com/reference/errors); the rest
// it does (401 auth, 429 rate_limited, 5xx server, …), and an error inside a stream is server.
constexpr ErrorRule kRules[] = {
    {.status = 402, .kind = ErrorKind::quota_exhausted},  // Payment Required: billing
    {.status = 400, .message = "too many tokens", .kind = ErrorKind::context_length},
};
constexpr ErrorTable kErrors{kRules};

// The request body, in Cohere's names. What the API cannot take is a warning.
std::string render_body(const ChatRequest& r, std::vector<std::string>& warnings) {
  const GenParams& p = r.params;
  json::JsonWriter w;
  w.begin_object().field("model", r.model).key("messages").begin_array();
  for (const Message& m : r.messages) {
    w.begin_object().field("role", m.role).field("content", m.content).end_object();
  }
  w.end_array();
  if (p.max_new_tokens) w.field("max_tokens", *p.max_new_tokens);
  if (p.temperature) w.field("temperature", *p.temperature);
  if (p.top_p) w.field("p", *p.top_p);
  if (p.top_k) w.field("k", *p.top_k);
  if (p.seed) w.field("seed", *p.seed);
  if (p.repetition_penalty) w.field("frequency_penalty", *p.repetition_penalty);
  if (!p.stop_words.empty()) w.key("stop_sequences").begin_array();
  for (const std::string& s : p.stop_words) w.string(s);
  if (!p.stop_words.empty()) w.end_array();
  if (!p.tools.empty()) warnings.push_back("the template sends no tools");
  for (const auto& [key, json] : p.extras) w.key(key).raw(json);
  if (r.stream) w.field("stream", true);
  return w.end_object().take();
}

FinishEvent finish_event(std::string_view reason) {
  static const std::map<std::string_view, FinishReason> kReasons{
      {"COMPLETE", FinishReason::stop},     {"STOP_SEQUENCE", FinishReason::stop},
      {"MAX_TOKENS", FinishReason::length}, {"TOOL_CALL", FinishReason::tool_calls},
      {"ERROR", FinishReason::error},
  };
  auto it = kReasons.find(reason);
  return {it == kReasons.end() ? FinishReason::other : it->second, std::string(reason)};
}

// The finish reason and usage, as message-end's delta and a whole reply both carry them.
void end_events(json::Value end, Events& out) {
  if (auto reason = end["finish_reason"].as_string()) out.push_back(finish_event(*reason));
  const json::Value tokens = end["usage"]["tokens"];
  const long long in = tokens["input_tokens"].as_count().value_or(0);
  const long long gen = tokens["output_tokens"].as_count().value_or(0);
  if (tokens.is_object()) out.emplace_back(UsageEvent{{in, gen, in + gen}});
}

// One handler per event name; the names it does not register (content-start, content-end,
// tool-plan, …) are ignored.
class Decoder final : public StreamDecoder {
 public:
  explicit Decoder(const StreamContext& c) : events_(c.limits) {
    events_.on("content-delta", [](const SseMessage& m, Events& out) {
      const std::string_view text = m.json["delta"]["message"]["content"]["text"].str();
      if (!text.empty()) out.emplace_back(ContentDelta{std::string(text)});
    });
    events_.on("message-end", [](const SseMessage& m, Events& out) {
      // A generation that failed midway says so here: an error that keeps the text so far.
      if (m.json["delta"]["error"].is_string()) {
        out.emplace_back(ErrorEvent{error_from_json(m.json["delta"]["error"], kErrors)});
        return;
      }
      end_events(m.json["delta"], out);
      out.emplace_back(DoneEvent{});
    });
  }
  void feed(std::string_view bytes, Events& out) override { events_.feed(bytes, out); }
  void finish(Events& out) override { events_.finish(out); }

 private:
  SseDispatcher events_;
};

class CohereProvider final : public Provider {
 public:
  ProviderInfo info() const override {
    // name, default API base, key variable, description, base URL variable
    return {"cohere_example", kBase, "CO_API_KEY", "Cohere v2 Chat API (the plugin template)",
            "CO_API_URL"};
  }

  HttpRequest build_request(const ChatRequest& request, const Credentials& key) const override {
    HttpRequest http;
    http.url = resolve_endpoint(request.api_base.empty() ? kBase : request.api_base, "chat");
    http.headers = {{"Authorization", "Bearer " + key.api_key},
                    {"Content-Type", "application/json"}};
    http.body = render_body(request, http.warnings);
    return http;
  }

  // A whole reply gives the events a stream would; ChatResultBuilder folds them.
  ChatResult parse_response(const HttpResponse& response) const override {
    auto doc = json::Document::parse(response.body);
    const json::Value root = doc.root();
    if (!root["message"].is_object()) throw Error(ErrorKind::protocol, "no message in the reply");
    Events events;
    for (json::Value part : root["message"]["content"].items()) {
      events.emplace_back(ContentDelta{std::string(part["text"].str())});
    }
    end_events(root, events);
    ChatResultBuilder builder;
    for (const StreamEvent& e : events) builder.add(e);
    return builder.result();
  }

  std::unique_ptr<StreamDecoder> new_stream_decoder(const ChatRequest&,
                                                    const StreamContext& context) const override {
    return std::make_unique<Decoder>(context);
  }

  // {"message": "…"} with the status; any other body (a gateway's HTML page) is quoted.
  ErrorInfo classify_error(const HttpResponse& response) const override {
    return error_from_response(response, kErrors);
  }
};

}  // namespace
}  // namespace example

LLMRT_EXPORT_PLUGIN(example::CohereProvider, "cohere_example", "0.1.0")
