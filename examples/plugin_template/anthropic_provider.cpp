// The template for a provider plugin: an Anthropic Messages-style API (POST /v1/messages) whose
// stream is server-sent events named by type (message_start, content_block_delta, …), written
// with the SDK alone: its JSON reader and writer, SseDecoder, ChatResultBuilder. A plugin
// includes only llmrt's sdk headers and does no I/O: it renders requests, decodes bytes and
// classifies errors; the runtime does the rest. Rename it, keep the shape.
#include <map>

#include "llmrt/sdk/chat_result_builder.h"
#include "llmrt/sdk/json.h"
#include "llmrt/sdk/json_writer.h"
#include "llmrt/sdk/plugin_abi.h"

namespace example {
using namespace llmrt;
namespace {

using Events = std::vector<StreamEvent>;
constexpr const char* kBase = "https://api.anthropic.com/v1";

// ---- The request ----

void write_text(json::JsonWriter& w, std::string_view text) {
  w.begin_object().field("type", "text").field("text", text).end_object();
}

void write_part(json::JsonWriter& w, const ContentPart& part) {
  if (const auto* text = std::get_if<TextPart>(&part)) return write_text(w, text->text);
  const auto& image = std::get<ImagePart>(part);
  w.begin_object().field("type", "image").key("source").begin_object();
  if (image.data.empty()) w.field("type", "url").field("url", image.url);
  if (!image.data.empty())
    w.field("type", "base64").field("media_type", image.media_type).field("data", image.data);
  w.end_object().end_object();
}

// Thinking goes back first and verbatim, signature included, or the API refuses the turn; a
// tool's input is a JSON object, not text, so the model's arguments must parse.
void write_assistant(json::JsonWriter& w, const Message& m) {
  for (const ReasoningBlock& b : m.reasoning) {
    w.begin_object().field("type", b.redacted.empty() ? "thinking" : "redacted_thinking");
    if (b.redacted.empty()) w.field("thinking", b.text).field("signature", b.signature);
    if (!b.redacted.empty()) w.field("data", b.redacted);
    w.end_object();
  }
  if (!m.content.empty()) write_text(w, m.content);
  for (const ToolCall& call : m.tool_calls) {
    const std::string input = call.arguments.empty() ? "{}" : call.arguments;
    auto parsed = json::Document::try_parse(input);
    if (!parsed || !parsed->root().is_object()) {
      throw Error(ErrorKind::bad_request,
                  "tool call '" + call.id + "': its arguments are not a JSON object");
    }
    w.begin_object().field("type", "tool_use").field("id", call.id).field("name", call.name);
    w.key("input").raw(input).end_object();
  }
}

// A tool result goes back in a user message; the results of one turn's calls share one.
void write_messages(json::JsonWriter& w, const std::vector<Message>& ms) {
  w.key("messages").begin_array();
  for (std::size_t i = 0; i < ms.size(); ++i) {
    const Message& m = ms[i];
    const bool tool = m.role == "tool";
    if (m.role == "system") continue;  // the top-level "system"
    if (m.role != "user" && m.role != "assistant" && !tool) {
      throw Error(
          ErrorKind::bad_request,
          "role '" + m.role + "' is not a Messages API role (user, assistant, system, tool)");
    }
    if (!tool || i == 0 || ms[i - 1].role != "tool") {
      w.begin_object().field("role", m.role == "assistant" ? "assistant" : "user");
      w.key("content").begin_array();
    }
    if (m.role == "assistant") write_assistant(w, m);
    if (m.role == "user" && !m.content.empty()) write_text(w, m.content);
    for (const ContentPart& part : m.parts) write_part(w, part);
    if (tool) w.begin_object().field("type", "tool_result").field("content", m.content);
    if (tool) w.field("tool_use_id", m.tool_call_id.value_or("")).end_object();
    if (!tool || i + 1 == ms.size() || ms[i + 1].role != "tool") w.end_array().end_object();
  }
  w.end_array();
}

void write_tools(json::JsonWriter& w, const GenParams& p) {
  if (!p.tools.empty()) w.key("tools").begin_array();
  for (const ToolSpec& tool : p.tools) {
    w.begin_object().field("name", tool.name);
    if (!tool.description.empty()) w.field("description", tool.description);
    const std::string& schema = tool.parameters_json;
    w.key("input_schema").raw(schema.empty() ? R"({"type":"object"})" : schema).end_object();
  }
  if (!p.tools.empty()) w.end_array();
  if (!p.tool_choice) return;
  static constexpr const char* kChoice[] = {"auto", "none", "any", "tool"};  // ToolChoiceMode
  w.key("tool_choice").begin_object().field("type", kChoice[int(p.tool_choice->mode)]);
  if (p.tool_choice->mode == ToolChoiceMode::function) w.field("name", p.tool_choice->name);
  w.end_object();
}

// The request body (https://docs.anthropic.com/en/api/messages); what it had to drop or change
// goes to `warnings`.
std::string render_body(const ChatRequest& r, std::vector<std::string>& warnings) {
  const GenParams& p = r.params;
  json::JsonWriter w;
  w.begin_object().field("model", r.model);
  // The API requires max_tokens: without one, 4096 is sent and said.
  w.field("max_tokens", p.max_new_tokens.value_or(4096));
  if (!p.max_new_tokens) warnings.push_back("max_tokens is required by the API: sent 4096");
  std::string system;
  for (const Message& m : r.messages) {
    if (m.role == "system") system += (system.empty() ? "" : "\n\n") + m.content;
  }
  if (!system.empty()) w.field("system", system);
  write_messages(w, r.messages);
  if (p.temperature) w.field("temperature", *p.temperature);
  if (p.top_p) w.field("top_p", *p.top_p);
  if (p.top_k) w.field("top_k", *p.top_k);
  if (!p.stop_words.empty()) w.key("stop_sequences").begin_array();
  for (const std::string& s : p.stop_words) w.string(s);
  if (!p.stop_words.empty()) w.end_array();
  for (auto [set, name] : {std::pair{p.seed.has_value(), "seed"},
                           {p.repetition_penalty.has_value(), "repetition_penalty"},
                           {p.json_mode, "json_mode"}}) {
    if (set) warnings.push_back(std::string(name) + " is not a Messages API parameter: not sent");
  }
  write_tools(w, p);
  for (const auto& [key, json] : p.extras) w.key(key).raw(json);  // "thinking", "metadata", …
  if (r.stream) w.field("stream", true);
  return w.end_object().take();
}

// ---- Replies, streams and errors ----

FinishEvent finish_event(std::string_view stop_reason) {
  static const std::map<std::string_view, FinishReason> kReasons{
      {"end_turn", FinishReason::stop},          {"stop_sequence", FinishReason::stop},
      {"max_tokens", FinishReason::length},      {"tool_use", FinishReason::tool_calls},
      {"refusal", FinishReason::content_filter},
  };
  auto it = kReasons.find(stop_reason);
  return {it == kReasons.end() ? FinishReason::other : it->second, std::string(stop_reason)};
}

// {"type":"error","error":{"type","message"}} (https://docs.anthropic.com/en/api/errors). Each
// type comes with its status; an in-stream error (status 200) is classified by its type's.
ErrorInfo classify(json::Value body, int status) {
  static const std::map<std::string_view, int> kStatusOf{
      {"invalid_request_error", 400}, {"authentication_error", 401},
      {"billing_error", 402},         {"permission_error", 403},
      {"not_found_error", 404},       {"request_too_large", 413},
      {"rate_limit_error", 429},      {"api_error", 500},
      {"overloaded_error", 529},
  };
  ErrorInfo info{.http_status = status,
                 .code = std::string(body["error"]["type"].str()),
                 .message = std::string(body["error"]["message"].str())};
  auto it = kStatusOf.find(info.code);
  const int documented = it != kStatusOf.end() ? it->second : status;
  info.kind = kind_for_http_status(documented).value_or(ErrorKind::server);
  if (documented == 402) info.kind = ErrorKind::quota_exhausted;
  const bool too_long = info.message.starts_with("prompt is too long");
  if (info.kind == ErrorKind::bad_request && too_long) info.kind = ErrorKind::context_length;
  if (documented == 529) info.retryable = true;  // overloaded: temporary
  return info;
}

// The events of one content block as content_block_start (empty fields) or a whole reply
// (filled ones) gives it. Tool calls are numbered from 0 in order, whatever their block index.
void block_events(long long index, json::Value block, std::map<long long, std::int64_t>& calls,
                  Events& out) {
  const std::string_view type = block["type"].str();
  if (type == "text" && !block["text"].str().empty()) {
    out.emplace_back(ContentDelta{std::string(block["text"].str())});
  } else if (type == "thinking" || type == "redacted_thinking") {
    out.emplace_back(ReasoningDelta{std::string(block["thinking"].str()),
                                    std::string(block["signature"].str()),
                                    std::string(block["data"].str()), index});
  } else if (type == "tool_use") {
    // A stream's input is {} here and comes in fragments; a whole reply's is all here.
    std::string input(block["input"].empty() ? "" : block["input"].raw());
    const auto call = calls[index] = static_cast<std::int64_t>(calls.size());
    out.emplace_back(ToolCallDelta{call, std::string(block["id"].str()),
                                   std::string(block["name"].str()), input});
  }
}

// output_tokens is cumulative: the last message_delta has the total.
void usage_event(json::Value usage, long long input_tokens, Events& out) {
  const long long input = usage["input_tokens"].as_count().value_or(input_tokens);
  const long long output = usage["output_tokens"].as_count().value_or(0);
  if (usage.exists()) out.emplace_back(UsageEvent{{input, output, input + output}});
}

// One handler per event name; names it does not know are ignored, as the API asks.
class Decoder final : public StreamDecoder {
 public:
  explicit Decoder(const StreamContext& c) : sse_(c.limits.max_event_bytes) {}
  void feed(std::string_view bytes, Events& out) override {
    sse_.feed(bytes, [&](const SseEvent& e) { on_event(e, out); });
  }
  void finish(Events& out) override {
    sse_.finish([&](const SseEvent& e) { on_event(e, out); });
  }

 private:
  void on_event(const SseEvent& e, Events& out) {
    std::string error;
    if (done_ || e.type == "ping") return;
    if (!doc_.reparse(e.data, &error)) {
      throw Error(ErrorKind::protocol, "event '" + std::string(e.type) + "': " + error);
    }
    const json::Value data = doc_.root();
    const long long index = data["index"].as_int64().value_or(0);
    const json::Value delta = data["delta"];
    const std::string_view type = delta["type"].str();
    if (e.type == "message_start") {
      input_tokens_ = data["message"]["usage"]["input_tokens"].as_count().value_or(0);
    } else if (e.type == "content_block_start") {
      block_events(index, data["content_block"], calls_, out);
    } else if (type == "text_delta") {
      out.emplace_back(ContentDelta{std::string(delta["text"].str())});
    } else if (type == "thinking_delta") {
      out.emplace_back(ReasoningDelta{std::string(delta["thinking"].str()), {}, {}, index});
    } else if (type == "signature_delta") {
      out.emplace_back(ReasoningDelta{{}, std::string(delta["signature"].str()), {}, index});
    } else if (type == "input_json_delta") {
      // Fragments of a block that started no tool call are ignored, like any unknown event.
      auto call = calls_.find(index);
      std::string json(delta["partial_json"].str());
      if (call != calls_.end()) out.emplace_back(ToolCallDelta{call->second, {}, {}, json});
    } else if (e.type == "message_delta") {
      if (auto reason = delta["stop_reason"].as_string()) out.emplace_back(finish_event(*reason));
      usage_event(data["usage"], input_tokens_, out);
    } else if (e.type == "message_stop" || e.type == "error") {
      if (e.type == "error") out.emplace_back(ErrorEvent{classify(data, 0)});
      if (e.type == "message_stop") out.emplace_back(DoneEvent{});
      done_ = true;
    }
  }

  SseDecoder sse_;
  json::Document doc_;  // reused for every event: no allocation per event
  long long input_tokens_ = 0;
  std::map<long long, std::int64_t> calls_;  // tool_use block index → tool call number
  bool done_ = false;
};

class AnthropicProvider final : public Provider {
 public:
  ProviderInfo info() const override {
    // name, default API base, key variable, description, base URL variable
    return {"anthropic_example", kBase, "ANTHROPIC_API_KEY",
            "Anthropic Messages API (the plugin template)", "ANTHROPIC_BASE_URL"};
  }

  HttpRequest build_request(const ChatRequest& request, const Credentials& key) const override {
    HttpRequest http;
    http.url = resolve_endpoint(request.api_base.empty() ? kBase : request.api_base, "messages");
    http.headers = {{"x-api-key", key.api_key}, {"anthropic-version", "2023-06-01"}};
    http.headers.emplace_back("content-type", "application/json");
    http.body = render_body(request, http.warnings);
    return http;
  }

  // A whole reply's blocks give the events a stream would: one way to build the result.
  ChatResult parse_response(const HttpResponse& response) const override {
    auto doc = json::Document::parse(response.body);
    const json::Value root = doc.root();
    if (root["type"].str() == "error") throw Error(classify(root, response.status));
    if (!root["content"].is_array()) throw Error(ErrorKind::protocol, "no \"content\" in reply");
    Events events;
    std::map<long long, std::int64_t> calls;
    long long index = 0;
    for (json::Value block : root["content"].items()) block_events(index++, block, calls, events);
    if (auto reason = root["stop_reason"].as_string()) events.push_back(finish_event(*reason));
    usage_event(root["usage"], 0, events);
    ChatResultBuilder builder;
    for (const StreamEvent& e : events) builder.add(e);
    return builder.result();
  }

  std::unique_ptr<StreamDecoder> new_stream_decoder(const ChatRequest&,
                                                    const StreamContext& c) const override {
    return std::make_unique<Decoder>(c);
  }

  // Any body: an HTML page from a proxy, or none, classifies by the status alone.
  ErrorInfo classify_error(const HttpResponse& response) const override {
    auto doc = json::Document::try_parse(response.body);
    ErrorInfo info = classify(doc ? doc->root() : json::Value(), response.status);
    if (info.message.empty()) info.message = response.body.substr(0, 200);
    return info;
  }
};

}  // namespace
}  // namespace example

LLMRT_EXPORT_PLUGIN(example::AnthropicProvider, "anthropic_example", "0.1.0")
