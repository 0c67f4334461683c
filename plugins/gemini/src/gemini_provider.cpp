// Google's Gemini API (generativelanguage.googleapis.com): POST models/{model}:generateContent,
// or :streamGenerateContent?alt=sse whose events are each a whole GenerateContentResponse
// carrying the next parts (https://ai.google.dev/api/generate-content). Gemini gives function
// calls no id: a call is "call_<n>", n its place among the reply's calls, and a tool result finds
// its function's name through the id on the assistant message before it.
#include <algorithm>
#include <charconv>
#include <utility>

#include "llmrt/sdk/chat_result_builder.h"
#include "llmrt/sdk/error_table.h"
#include "llmrt/sdk/json_writer.h"
#include "llmrt/sdk/plugin_abi.h"
#include "llmrt/sdk/sse_dispatch.h"
#include "llmrt/sdk/version.h"

namespace llmrt::plugins::gemini {
namespace {

using Events = std::vector<StreamEvent>;
using json::JsonWriter;
using K = ErrorKind;
using R = FinishReason;
constexpr const char* kBase = "https://generativelanguage.googleapis.com/v1beta";

[[noreturn]] void refuse(const std::string& s) { throw Error(K::bad_request, "gemini: " + s); }

// A function call's args and a tool's result are JSON objects (protobuf Structs), not text.
bool is_object(std::string_view t) {
  return json::Document::try_parse(t).value_or(json::Document()).root().is_object();
}

// ---- The request ----

void write_text(JsonWriter& w, std::string_view t, std::string_view s = {}, bool thought = false) {
  w.begin_object().field("text", t);
  if (thought) w.field("thought", true);
  if (!s.empty()) w.field("thoughtSignature", s);
  w.end_object();
}

void write_part(JsonWriter& w, const ContentPart& part) {
  if (const auto* text = std::get_if<TextPart>(&part)) return write_text(w, text->text);
  const auto& image = std::get<ImagePart>(part);  // a data: URL comes split (messages_json)
  w.begin_object().key(image.url.empty() ? "inlineData" : "fileData").begin_object();
  if (!image.media_type.empty()) w.field("mimeType", image.media_type);
  w.field(image.url.empty() ? "data" : "fileUri", image.url.empty() ? image.data : image.url);
  w.end_object().end_object();
}

// Signatures go back on the parts they came on (https://ai.google.dev/gemini-api/docs/
// thought-signatures): a thought's with its thought; the reply's own, which Gemini puts on the
// first function call, or on the last part of a reply without calls, back there.
void write_model(JsonWriter& w, const Message& m) {
  std::string signature;
  for (const ReasoningBlock& b : m.reasoning) {
    if (!b.text.empty()) write_text(w, b.text, b.signature, true);
    if (b.text.empty() && signature.empty()) signature = b.signature;
  }
  if (!m.content.empty() || (m.tool_calls.empty() && !signature.empty()))
    write_text(w, m.content, m.tool_calls.empty() ? std::exchange(signature, "") : "");
  for (const ToolCall& call : m.tool_calls) {
    const std::string args = call.arguments.empty() ? "{}" : call.arguments;
    if (!is_object(args)) refuse("tool call '" + call.id + "': its arguments are no JSON object");
    w.begin_object().key("functionCall").begin_object().field("name", call.name);
    w.key("args").raw(args).end_object();
    if (!signature.empty()) w.field("thoughtSignature", std::exchange(signature, ""));
    w.end_object();
  }
}

// Gemini answers a call by its function's name: the nearest earlier call with the result's id.
void write_result(JsonWriter& w, const std::vector<Message>& ms, std::size_t at) {
  const std::string id = ms[at].tool_call_id.value_or("");
  std::string name = ms[at].name.value_or("");
  for (std::size_t i = at; i-- > 0 && name.empty();)
    for (const ToolCall& call : ms[i].tool_calls) name = call.id == id ? call.name : name;
  if (name.empty()) refuse("tool result '" + id + "': no earlier tool call has that id");
  w.begin_object().key("functionResponse").begin_object().field("name", name).key("response");
  if (is_object(ms[at].content)) w.raw(ms[at].content);
  if (!is_object(ms[at].content)) w.begin_object().field("output", ms[at].content).end_object();
  w.end_object().end_object();
}

// Roles user and model; the results of one turn's calls share one user content.
void write_contents(JsonWriter& w, const std::vector<Message>& ms) {
  w.key("contents").begin_array();
  for (std::size_t i = 0; i < ms.size(); ++i) {
    const Message& m = ms[i];
    const bool tool = m.role == "tool";
    if (m.role == "system" || m.role == "developer") continue;  // systemInstruction
    if (m.role != "user" && m.role != "assistant" && !tool)
      refuse("role '" + m.role + "' is not a Gemini role (user, assistant, system, tool)");
    if (!tool || i == 0 || ms[i - 1].role != "tool")
      w.begin_object().field("role", m.role == "assistant" ? "model" : "user").key("parts");
    if (!tool || i == 0 || ms[i - 1].role != "tool") w.begin_array();
    if (m.role == "assistant") write_model(w, m);
    if (tool) write_result(w, ms, i);
    if (m.role == "user" && !m.content.empty()) write_text(w, m.content);
    for (const ContentPart& part : m.parts) write_part(w, part);
    if (!tool || i + 1 == ms.size() || ms[i + 1].role != "tool") w.end_array().end_object();
  }
  w.end_array();
}

void write_tools(JsonWriter& w, const GenParams& p) {
  if (!p.tools.empty()) w.key("tools").begin_array().begin_object();
  if (!p.tools.empty()) w.key("functionDeclarations").begin_array();
  for (const ToolSpec& tool : p.tools) {
    w.begin_object().field("name", tool.name);
    if (!tool.description.empty()) w.field("description", tool.description);
    // JSON Schema as OpenAI-style tools carry it; `parameters` takes only an OpenAPI subset.
    if (!tool.parameters_json.empty()) w.key("parametersJsonSchema").raw(tool.parameters_json);
    w.end_object();
  }
  if (!p.tools.empty()) w.end_array().end_object().end_array();
  if (!p.tool_choice) return;
  static constexpr const char* kModes[] = {"AUTO", "NONE", "ANY", "ANY"};  // ToolChoiceMode
  w.key("toolConfig").begin_object().key("functionCallingConfig").begin_object();
  w.field("mode", kModes[static_cast<int>(p.tool_choice->mode)]);
  if (p.tool_choice->mode == ToolChoiceMode::function)
    w.key("allowedFunctionNames").begin_array().string(p.tool_choice->name).end_array();
  w.end_object().end_object();
}

// Extras are generationConfig members (thinkingConfig, responseSchema, …) but for these.
constexpr std::string_view kTopLevel[] = {"safetySettings", "cachedContent", "toolConfig"};

std::string generation_config(const GenParams& p, std::vector<std::string>& warnings) {
  JsonWriter w;
  w.begin_object();
  if (p.max_new_tokens) w.field("maxOutputTokens", *p.max_new_tokens);
  if (p.temperature) w.field("temperature", *p.temperature);
  if (p.top_p) w.field("topP", *p.top_p);
  if (p.top_k) w.field("topK", *p.top_k);
  if (p.seed) w.field("seed", *p.seed);
  if (p.json_mode) w.field("responseMimeType", "application/json");
  if (!p.stop_words.empty()) w.key("stopSequences").begin_array();
  for (const std::string& s : p.stop_words) w.string(s);
  if (!p.stop_words.empty()) w.end_array();
  if (p.repetition_penalty) warnings.emplace_back("repetition_penalty is not sent to Gemini");
  for (const auto& [key, json] : p.extras)
    if (std::ranges::count(kTopLevel, key) == 0) w.key(key).raw(json);
  return w.end_object().take();
}

std::string render_body(const ChatRequest& r, std::vector<std::string>& warnings) {
  JsonWriter w;
  w.begin_object();
  write_contents(w, r.messages);
  std::string system;
  for (const Message& m : r.messages)
    if (m.role == "system" || m.role == "developer")
      system += (system.empty() ? "" : "\n") + m.content;
  if (!system.empty()) w.key("systemInstruction").begin_object().key("parts").begin_array();
  if (!system.empty()) write_text(w, system);
  if (!system.empty()) w.end_array().end_object();
  write_tools(w, r.params);
  if (std::string config = generation_config(r.params, warnings); config != "{}")
    w.key("generationConfig").raw(config);
  for (const auto& [key, json] : r.params.extras)
    if (std::ranges::count(kTopLevel, key) == 1) w.key(key).raw(json);
  return w.end_object().take();
}

// ---- Replies, streams and errors ----

// The rest by the status, the HTTP one or the body's "code" (an in-stream error has no other).
constexpr ErrorRule kRules[] = {
    {.code = "API_KEY_INVALID", .kind = K::auth},  // a 400 INVALID_ARGUMENT otherwise
    {.message = "exceeds the maximum number of tokens", .kind = K::context_length},
    {.type = "RESOURCE_EXHAUSTED", .message = "current quota", .kind = K::quota_exhausted}};
constexpr ErrorTable kErrors{kRules};

// A google.rpc.Status {code, message, status, details}. A RetryInfo in the details makes even a
// "quota" message a rate limit: the free tier's per-minute limits say "exceeded your quota".
ErrorInfo error_info(json::Value e, int http = 0, const std::string& id = {}) {
  ErrorInfo info{.http_status = http, .code = std::string(e["status"].str()), .request_id = id};
  info.message = e["message"].str();
  std::string reason;
  for (json::Value d : e["details"].items()) {
    if (auto r = d["reason"].as_string()) reason = *r;
    const std::string_view delay = d["retryDelay"].str();  // "38s", "0.5s"
    double s = -1;
    if (delay.ends_with('s')) std::from_chars(delay.data(), &delay.back(), s);
    if (s >= 0 && s < 1e6) info.retry_after = std::chrono::milliseconds(std::int64_t(s * 1000));
  }
  const long long code = std::clamp(e["code"].as_int64().value_or(0), 0LL, 599LL);
  classify(kErrors, {http >= 400 ? http : int(code), info.code, reason, info.message}, info);
  if (info.retry_after && info.kind == K::quota_exhausted) info.kind = K::rate_limited;
  if (!reason.empty()) info.code = reason;
  return info;
}

long long count(json::Value v) { return std::min(v.as_count().value_or(0), 1LL << 53); }

// Decodes a stream's events, or a whole reply: the calls' numbers and the reasoning blocks run
// across them. No end marker: the body ends after the event with the finish reason.
class Decoder final : public StreamDecoder {
 public:
  explicit Decoder(const StreamContext& c) : events_(c.limits) {
    events_.otherwise([this](const auto& m, auto& out) { on_response(m.json, out); });
  }
  void feed(std::string_view bytes, Events& out) override { events_.feed(bytes, out); }
  void finish(Events& out) override { events_.finish(out); }

  // One GenerateContentResponse: a stream's event or a whole reply; an array of them is the stream
  // of a server that ignored alt=sse.
  void on_response(json::Value response, Events& out) {
    for (json::Value item : response.items()) on_response(item, out);
    if (auto e = response["error"]; e.is_object()) return out.push_back(ErrorEvent{error_info(e)});
    const json::Value candidate = response["candidates"][0];
    if (auto blocked = response["promptFeedback"]["blockReason"].as_string())
      return out.push_back(ErrorEvent{{.kind = K::content_filter,
                                       .code = std::string(*blocked),
                                       .message = "the prompt was blocked"}});
    for (json::Value part : candidate["content"]["parts"].items()) on_part(part, out);
    if (const json::Value u = response["usageMetadata"]; u.is_object()) {
      const long long in = count(u["promptTokenCount"]), thought = count(u["thoughtsTokenCount"]);
      const long long n = count(u["candidatesTokenCount"]) + thought;  // thoughts are output
      const long long total = u["totalTokenCount"].as_count().value_or(in + n);
      out.emplace_back(UsageEvent{{in, n, total, count(u["cachedContentTokenCount"]), 0, thought}});
    }
    const std::string_view word = candidate["finishReason"].str();  // STOP after calls: run them
    R reason = word == "STOP" ? (calls_ ? R::tool_calls : R::stop) : R::other;
    reason = word == "MAX_TOKENS" ? R::length : reason;
    for (std::string_view f : {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII"})
      reason = word == f ? R::content_filter : reason;
    if (!word.empty()) out.push_back(FinishEvent{reason, std::string(word)});
  }

 private:
  // Thought text accumulates into one block until a signature closes it; a signature on another
  // part is a block of its own.
  void on_part(json::Value part, Events& out) {
    const bool thought = part["thought"].as_bool().value_or(false);
    const std::string signature(part["thoughtSignature"].str()), text(part["text"].str());
    if (!thought && !signature.empty() && thought_open_) ++block_;  // a block of its own
    if (thought || !signature.empty())
      out.emplace_back(ReasoningDelta{thought ? text : "", signature, {}, block_});
    thought_open_ = signature.empty() && (thought || thought_open_);
    if (!signature.empty()) ++block_;
    if (!thought && !text.empty()) out.emplace_back(ContentDelta{text});
    const json::Value call = part["functionCall"];
    if (thought || !call.exists()) return;
    if (!call["name"].is_string()) throw Error(K::protocol, "gemini: a functionCall has no name");
    const std::string_view args = call["args"].exists() ? call["args"].raw() : "{}";
    std::string id = "call_";
    id += std::to_string(calls_);  // appended: GCC 12 -O3 warns (-Wrestrict) on "lit" + string
    out.emplace_back(ToolCallDelta{calls_, id, std::string(call["name"].str()), std::string(args)});
    ++calls_;
  }

  std::int64_t calls_ = 0, block_ = 0;
  bool thought_open_ = false;
  SseDispatcher events_;
};

class GeminiProvider final : public Provider {
 public:
  ProviderInfo info() const override {
    // name, default API base, key variables (tried in this order), description
    return {"gemini", kBase, "GEMINI_API_KEY,GOOGLE_API_KEY", "Google Gemini API"};
  }

  HttpRequest build_request(const ChatRequest& request, const Credentials& key) const override {
    const std::string base = request.api_base.empty() ? kBase : request.api_base;
    const char* method = request.stream ? ":streamGenerateContent" : ":generateContent";
    HttpRequest http{
        .url = resolve_endpoint(base, "models/" + request.model + method),
        .headers = {{"x-goog-api-key", key.api_key}, {"content-type", "application/json"}}};
    if (request.stream) http.url += http.url.find('?') < http.url.size() ? "&alt=sse" : "?alt=sse";
    http.body = render_body(request, http.warnings);
    return http;
  }

  ChatResult parse_response(const HttpResponse& response) const override {
    Events events;
    Decoder({}).on_response(json::Document::parse(response.body).root(), events);
    if (events.empty()) throw Error(K::protocol, "gemini: a reply with no candidate");
    ChatResultBuilder builder;
    for (const StreamEvent& e : events) {
      if (const auto* error = std::get_if<ErrorEvent>(&e)) throw Error(error->error);
      builder.add(e);
    }
    return builder.result();
  }

  std::unique_ptr<StreamDecoder> new_stream_decoder(const ChatRequest&,
                                                    const StreamContext& c) const override {
    return std::make_unique<Decoder>(c);
  }

  // {"error": google.rpc.Status}, also as the one item of an array; any other body (an HTML
  // page from a proxy, none) is read by the shared helper.
  ErrorInfo classify_error(const HttpResponse& response) const override {
    auto doc = json::Document::try_parse(response.body).value_or(json::Document());
    const json::Value e = doc.root().is_array() ? doc.root()[0]["error"] : doc.root()["error"];
    if (!e.is_object()) return error_from_response(response, kErrors);
    return error_info(e, response.status, request_id_from(response.headers));
  }
};

}  // namespace
}  // namespace llmrt::plugins::gemini

LLMRT_EXPORT_PLUGIN(llmrt::plugins::gemini::GeminiProvider, "gemini", LLMRT_VERSION_STRING)
