// Anthropic's Messages API: the request, whole replies, the named-event stream, errors.
#include <map>

#include "llmrt/sdk/chat_result_builder.h"
#include "llmrt/sdk/error_table.h"
#include "llmrt/sdk/json_writer.h"
#include "llmrt/sdk/plugin_abi.h"
#include "llmrt/sdk/sse_dispatch.h"
#include "llmrt/sdk/string_map.h"
#include "llmrt/sdk/version.h"

namespace llmrt::plugins::anthropic {
namespace {

using Events = std::vector<StreamEvent>;
using K = ErrorKind;
using Calls = std::map<long long, std::int64_t>;  // tool_use block index → tool call number
constexpr const char* kBase = "https://api.anthropic.com/v1";
// max_tokens when the request sets none (the API requires one): a default documented in the
// README rather than a warning on every call; plus the thinking budget when thinking is on, so
// that the answer keeps this much after the thinking.
constexpr int kMaxTokens = 4096;

// ---- The request (https://docs.anthropic.com/en/api/messages) ----

void write_text(json::JsonWriter& w, std::string_view text) {
  w.begin_object().field("type", "text").field("text", text).end_object();
}

// Text and images: a URL, or base64 data with its media type (the core turns a data: URL from a
// messages file into the latter).
void write_part(json::JsonWriter& w, const ContentPart& part) {
  if (const auto* text = std::get_if<TextPart>(&part)) return write_text(w, text->text);
  const ImagePart& image = std::get<ImagePart>(part);
  w.begin_object().field("type", "image").key("source").begin_object();
  if (image.data.empty()) w.field("type", "url").field("url", image.url);
  if (!image.data.empty()) w.field("type", "base64").field("media_type", image.media_type);
  if (!image.data.empty()) w.field("data", image.data);
  w.end_object().end_object();
}

// Thinking goes back first and verbatim, signature included, or the API refuses a turn that
// continues a tool call; a tool's input is a JSON object, not text.
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
      throw Error(K::bad_request, "anthropic: tool call '" + call.id + "': no JSON object");
    }
    w.begin_object().field("type", "tool_use").field("id", call.id).field("name", call.name);
    w.key("input").raw(input).end_object();
  }
}

// A tool result goes back in a user message. The API combines consecutive user turns into one,
// so the results of one turn's calls each take their own.
void write_messages(json::JsonWriter& w, const std::vector<Message>& ms) {
  w.key("messages").begin_array();
  for (const Message& m : ms) {
    if (m.role == "system") continue;
    if (m.role != "user" && m.role != "assistant" && m.role != "tool") {
      throw Error(K::bad_request, "anthropic: no Messages API role for '" + m.role + "'");
    }
    w.begin_object().field("role", m.role == "assistant" ? "assistant" : "user");
    w.key("content").begin_array();
    if (m.role == "assistant") write_assistant(w, m);
    if (m.role == "tool") {
      w.begin_object().field("type", "tool_result");
      w.field("tool_use_id", m.tool_call_id.value_or("")).field("content", m.content).end_object();
    } else if (m.role == "user" && !m.content.empty()) {
      write_text(w, m.content);
    }
    for (const ContentPart& part : m.parts) write_part(w, part);
    w.end_array().end_object();
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

// The body of POST /v1/messages; what it drops goes to `warnings`.
std::string render_body(const ChatRequest& r, std::vector<std::string>& warnings) {
  const GenParams& p = r.params;
  // The thinking_budget option: extended thinking with that many tokens (the API checks its
  // minimum, 1024).
  std::optional<long long> budget;
  if (const std::string* given = find_entry(r.options, "thinking_budget")) {
    auto n = json::Document::try_parse(*given);
    if (!n || !(budget = n->root().as_count()))
      throw Error(K::bad_request, "anthropic: thinking_budget must be a token count");
  }
  json::JsonWriter w;
  w.begin_object().field("model", r.model);
  const long long fallback = kMaxTokens + budget.value_or(0);
  w.field("max_tokens", p.max_new_tokens ? *p.max_new_tokens : fallback);
  std::string system;
  for (const Message& m : r.messages) {
    if (m.role == "system") system.append(system.empty() ? "" : "\n\n").append(m.content);
  }
  if (!system.empty()) w.field("system", system);
  write_messages(w, r.messages);
  if (p.temperature) w.field("temperature", *p.temperature);
  if (p.top_p) w.field("top_p", *p.top_p);
  if (p.top_k) w.field("top_k", *p.top_k);
  if (!p.stop_words.empty()) w.key("stop_sequences").begin_array();
  for (const std::string& s : p.stop_words) w.string(s);
  if (!p.stop_words.empty()) w.end_array();
  const std::string not_sent = " is not a Messages API parameter: not sent";
  if (p.seed) warnings.push_back(std::string("seed") + not_sent);
  if (p.repetition_penalty) warnings.push_back(std::string("repetition_penalty") + not_sent);
  if (p.json_mode) warnings.push_back(std::string("json_mode") + not_sent);
  write_tools(w, p);
  if (budget && !has_entry(p.extras, "thinking")) {
    std::string thinking = R"({"type":"enabled","budget_tokens":)";
    w.key("thinking").raw(thinking.append(std::to_string(*budget)).append("}"));
  }
  for (const auto& [key, json] : p.extras) w.key(key).raw(json);  // "thinking", "metadata", …
  if (r.stream) w.field("stream", true);
  return w.end_object().take();
}

// ---- Replies, the stream and errors ----

// https://docs.anthropic.com/en/api/errors: each type has its own status, so the type decides,
// inside a stream (no status) too; request_too_large (413) and timeout_error (504) are told by
// their status alone. HTTP 529 (overloaded) with any body is a server error.
constexpr ErrorRule kRules[] = {
    {.type = "overloaded_error", .kind = K::server, .retryable = true},
    {.type = "api_error", .kind = K::server},
    {.type = "rate_limit_error", .kind = K::rate_limited},
    {.type = "billing_error", .kind = K::quota_exhausted},
    // "Your credit balance is too low to access the Anthropic API": an account without credit.
    {.type = "invalid_request_error", .message = "credit balance", .kind = K::quota_exhausted},
    {.type = "invalid_request_error", .message = "prompt is too long", .kind = K::context_length},
    {.type = "invalid_request_error", .kind = K::bad_request},
    {.type = "authentication_error", .kind = K::auth},
    {.type = "permission_error", .kind = K::permission},
    {.type = "not_found_error", .kind = K::not_found},
};
constexpr ErrorTable kErrors{kRules};

// pause_turn (a long server-tool turn to send again) and any word added later: other.
FinishEvent finish_event(std::string_view stop_reason) {
  using F = FinishReason;
  static const std::map<std::string_view, F> kReasons{
      {"end_turn", F::stop},          {"stop_sequence", F::stop},
      {"max_tokens", F::length},      {"tool_use", F::tool_calls},
      {"refusal", F::content_filter}, {"model_context_window_exceeded", F::length},
  };
  auto it = kReasons.find(stop_reason);
  return {it == kReasons.end() ? FinishReason::other : it->second, std::string(stop_reason)};
}

// input_tokens counts only what the cache did not hold: the prompt is all three. A later usage
// object (message_delta's are cumulative) repeats what it counts; the rest keep their values.
// The cache-read and cache-written parts are reported too (Usage::cache_read/write_tokens).
struct Tokens {
  long long n[4] = {};  // input, cache_creation_input, cache_read_input, output
  void update(json::Value u, Events* out = nullptr) {
    for (int i = 0; const char* name : {"input_tokens", "cache_creation_input_tokens",
                                        "cache_read_input_tokens", "output_tokens"})
      n[i] = u[name].as_count().value_or(n[i]), ++i;
    const long long prompt = n[0] + n[1] + n[2];
    if (out && u.is_object())
      out->emplace_back(UsageEvent{{prompt, n[3], prompt + n[3], n[2], n[1]}});
  }
};

// The events of a content block as content_block_start (empty, a tool's input to come in
// fragments) or a whole reply (filled) gives it. Tool calls are numbered from 0 in order.
void block_events(long long index, json::Value block, Calls& calls, Events& out) {
  const std::string_view type = block["type"].str();
  if (type == "text" && !block["text"].str().empty()) {
    out.emplace_back(ContentDelta{std::string(block["text"].str())});
  } else if (type == "thinking" || type == "redacted_thinking") {
    out.emplace_back(ReasoningDelta{std::string(block["thinking"].str()),
                                    std::string(block["signature"].str()),
                                    std::string(block["data"].str()), index});
  } else if (type == "tool_use") {
    const auto call = calls[index] = static_cast<std::int64_t>(calls.size());
    const json::Value input = block["input"];
    out.emplace_back(ToolCallDelta{call, std::string(block["id"].str()),
                                   std::string(block["name"].str()),
                                   std::string(input.empty() ? "" : input.raw())});
  }
}

// https://docs.anthropic.com/en/api/messages-streaming
class MessageDecoder final : public StreamDecoder {
 public:
  explicit MessageDecoder(const StreamContext& c) : events_(c.limits) {
    events_.on("message_start",
               [this](auto& m, Events&) { tokens_.update(m.json["message"]["usage"]); });
    events_.on("content_block_start", [this](auto& m, Events& out) {
      block_events(index(m), m.json["content_block"], calls_, out);
    });
    events_.on("content_block_delta", [this](auto& m, Events& out) { delta(m, out); });
    events_.on("message_delta", [this](auto& m, Events& out) {
      if (auto why = m.json["delta"]["stop_reason"].as_string()) out.push_back(finish_event(*why));
      tokens_.update(m.json["usage"], &out);
    });
    events_.on("message_stop", [](auto&, Events& out) { out.emplace_back(DoneEvent{}); });
    // The request id is the response's request-id header: the core fills it in.
    events_.on("error", [](auto& m, Events& out) {
      out.emplace_back(ErrorEvent{error_from_json(m.json["error"], kErrors, 0, K::server)});
    });
    // Any other event (ping, content_block_stop, names the API adds later) is ignored, but must
    // be JSON like every event of this API: other bytes mean a broken stream.
    events_.otherwise(SseDispatcher::ignore);
  }
  void feed(std::string_view bytes, Events& out) override { events_.feed(bytes, out); }
  void finish(Events& out) override { events_.finish(out); }

 private:
  static long long index(const SseMessage& m) { return m.json["index"].as_int64().value_or(0); }

  void delta(const SseMessage& m, Events& out) {
    const json::Value d = m.json["delta"];
    const std::string_view type = d["type"].str();
    if (type == "text_delta") out.emplace_back(ContentDelta{std::string(d["text"].str())});
    if (type == "thinking_delta" || type == "signature_delta") {
      out.emplace_back(ReasoningDelta{
          std::string(d["thinking"].str()), std::string(d["signature"].str()), {}, index(m)});
    }
    // Fragments of a block that started no tool call are ignored, like an unknown delta.
    auto call = calls_.find(index(m));
    if (type == "input_json_delta" && call != calls_.end() && !d["partial_json"].str().empty()) {
      out.emplace_back(
          ToolCallDelta{.index = call->second, .arguments = std::string(d["partial_json"].str())});
    }
  }

  SseDispatcher events_;
  Tokens tokens_;
  Calls calls_;
};

class AnthropicProvider final : public Provider {
 public:
  ProviderInfo info() const override {
    // name, API base, key variable, description, base URL variable (as Anthropic's SDKs), options
    return {"anthropic",          kBase,
            "ANTHROPIC_API_KEY",  "Anthropic Messages API (Claude)",
            "ANTHROPIC_BASE_URL", {"anthropic_beta", "thinking_budget"}};
  }

  HttpRequest build_request(const ChatRequest& request, const Credentials& key) const override {
    HttpRequest http;
    http.url = resolve_endpoint(request.api_base.empty() ? kBase : request.api_base, "messages");
    http.headers = {{"x-api-key", key.api_key}, {"anthropic-version", "2023-06-01"}};
    http.headers.emplace_back("content-type", "application/json");
    // Comma-separated beta feature names (https://docs.anthropic.com/en/api/beta-headers).
    if (const std::string* beta = find_entry(request.options, "anthropic_beta")) {
      http.headers.emplace_back("anthropic-beta", *beta);
    }
    http.body = render_body(request, http.warnings);
    return http;
  }

  // A whole reply's content blocks give the events a stream would.
  ChatResult parse_response(const HttpResponse& response) const override {
    auto doc = json::Document::parse(response.body);
    const json::Value root = doc.root();
    if (root["type"].str() == "error") throw Error(error_from_response(response, kErrors));
    if (!root["content"].is_array()) throw Error(K::protocol, "anthropic: no content blocks");
    Events out;
    Calls calls;
    for (long long i = 0; json::Value b : root["content"].items()) block_events(i++, b, calls, out);
    if (auto reason = root["stop_reason"].as_string()) out.push_back(finish_event(*reason));
    Tokens().update(root["usage"], &out);
    ChatResultBuilder builder;
    for (const StreamEvent& e : out) builder.add(e);
    return builder.result();
  }

  std::unique_ptr<StreamDecoder> new_stream_decoder(const ChatRequest&,
                                                    const StreamContext& context) const override {
    return std::make_unique<MessageDecoder>(context);
  }

  // Any body, an HTML page from a gateway or none, classifies by the status at least.
  ErrorInfo classify_error(const HttpResponse& response) const override {
    return error_from_response(response, kErrors);
  }
};

}  // namespace
}  // namespace llmrt::plugins::anthropic

LLMRT_EXPORT_PLUGIN(llmrt::plugins::anthropic::AnthropicProvider, "anthropic", LLMRT_VERSION_STRING)
