// The request side of /api/chat, as ollama/ollama docs/api.md ("Generate a chat completion")
// documents it.
#include "llmrt/sdk/json.h"
#include "llmrt/sdk/json_writer.h"
#include "llmrt/sdk/snippet.h"
#include "llmrt/sdk/string_map.h"
#include "ollama_provider.h"

namespace llmrt::plugins::ollama {
namespace {

using json::JsonWriter;

// Modelfile parameters llmrt has no name for: Ollama reads them from `options` only, so an extra
// parameter named so goes there; any other extra (format, think, keep_alive…) to the top level.
bool is_option(const std::string& key) {
  constexpr std::string_view kNames =
      " num_ctx num_keep num_batch num_gpu main_gpu num_thread min_p typical_p repeat_last_n "
      "presence_penalty frequency_penalty mirostat mirostat_tau mirostat_eta penalize_newline ";
  return kNames.find(" " + key + " ") != std::string_view::npos;
}

Error bad_request(const std::string& what) {
  return Error(ErrorKind::bad_request, what + " (ollama)");
}

// Ollama takes images inline only, as base64 without the data: URL's prefix.
std::string_view base64_of(const ImagePart& image) {
  const std::string_view url = image.url, marker = ";base64,";
  if (!image.data.empty()) return image.data;
  if (url.starts_with("data:") && url.find(marker) != url.npos) {
    return url.substr(url.find(marker) + marker.size());
  }
  throw bad_request("image '" + snippet(url, 60) +
                    "': Ollama's API takes images inline as base64 (a data: URL), not by URL");
}

// Ollama wants a call's arguments as a JSON object; the model's text may be anything.
void write_arguments(JsonWriter& w, const ToolCall& call) {
  const auto doc = json::Document::try_parse(call.arguments.empty() ? "{}" : call.arguments);
  if (!doc || !doc->root().is_object()) {
    throw bad_request("the arguments of tool call '" + call.id + "' are not a JSON object ('" +
                      snippet(call.arguments, 40) + "'), the only form Ollama takes");
  }
  w.raw(doc->root().raw());
}

void write_message(JsonWriter& w, const Message& m, const std::vector<Message>& messages) {
  w.begin_object().field("role", m.role == "developer" ? std::string("system") : m.role);
  std::string text = m.content, thinking;
  bool images = false;
  for (const ContentPart& part : m.parts) {
    if (const auto* t = std::get_if<TextPart>(&part)) {
      text += (text.empty() ? "" : "\n") + t->text;
      continue;
    }
    if (!std::exchange(images, true)) w.key("images").begin_array();
    w.string(base64_of(std::get<ImagePart>(part)));
  }
  if (images) w.end_array();
  w.field("content", text);
  for (const ReasoningBlock& block : m.reasoning) thinking += block.text;
  if (!thinking.empty()) w.field("thinking", thinking);
  if (!m.tool_calls.empty()) w.key("tool_calls").begin_array();
  for (const ToolCall& call : m.tool_calls) {
    w.begin_object().key("function").begin_object().field("name", call.name);
    write_arguments(w.key("arguments"), call);
    w.end_object().end_object();
  }
  if (!m.tool_calls.empty()) w.end_array();
  // Ollama matches a tool's result to its call by the tool's name (its calls have no ids).
  std::string tool = m.name.value_or("");
  for (const Message& earlier : messages)
    for (const ToolCall& call : earlier.tool_calls)
      if (tool.empty() && m.tool_call_id == call.id) tool = call.name;
  if (m.role == "tool" && !tool.empty()) w.field("tool_name", tool);
  w.end_object();
}

// Ollama has no tool_choice: "none" is honoured by sending no tools, "auto" is what it does,
// and a forced call cannot be asked for.
void write_tools(JsonWriter& w, const GenParams& p) {
  const ToolChoiceMode mode = p.tool_choice ? p.tool_choice->mode : ToolChoiceMode::automatic;
  if (mode == ToolChoiceMode::required || mode == ToolChoiceMode::function) {
    throw bad_request("tool_choice cannot force a call: Ollama's API has no tool_choice");
  }
  if (p.tools.empty() || mode == ToolChoiceMode::none) return;
  w.key("tools").begin_array();
  for (const ToolSpec& tool : p.tools) {
    w.begin_object().field("type", "function").key("function").begin_object();
    w.field("name", tool.name);
    if (!tool.description.empty()) w.field("description", tool.description);
    if (!tool.parameters_json.empty()) w.key("parameters").raw(tool.parameters_json);
    w.end_object().end_object();
  }
  w.end_array();
}

// llmrt's generation parameters under Ollama's names, in `options`.
std::string options_of(const GenParams& p, std::vector<std::string>& warnings) {
  JsonWriter o;
  o.begin_object();
  if (p.max_new_tokens) o.field("num_predict", *p.max_new_tokens);
  if (p.temperature) o.field("temperature", *p.temperature);
  if (p.top_p) o.field("top_p", *p.top_p);
  if (p.top_k) o.field("top_k", *p.top_k);
  if (p.seed) o.field("seed", *p.seed);
  if (p.repetition_penalty.value_or(0) != 0) o.field("repeat_penalty", *p.repetition_penalty);
  if (p.repetition_penalty == 0.0)
    warnings.emplace_back("repetition_penalty 0 is not sent: Ollama's neutral repeat_penalty is 1");
  if (!p.stop_words.empty()) o.key("stop").begin_array();
  for (const std::string& stop : p.stop_words) o.string(stop);
  if (!p.stop_words.empty()) o.end_array();
  for (const auto& [key, value] : p.extras)
    if (is_option(key)) o.key(key).raw(value);
  return o.end_object().take();
}

std::string render_body(const ChatRequest& request, std::vector<std::string>& warnings) {
  const GenParams& p = request.params;
  for (const char* reserved : {"model", "messages", "stream", "options", "tools"}) {
    if (has_entry(p.extras, reserved))
      throw bad_request(std::string(reserved) + " is set by llmrt");
  }
  JsonWriter w;
  w.begin_object().field("model", request.model).key("messages").begin_array();
  for (const Message& m : request.messages) write_message(w, m, request.messages);
  w.end_array();
  write_tools(w, p);
  if (std::string options = options_of(p, warnings); options != "{}") w.key("options").raw(options);
  // A JSON schema for structured output is an extra, `format`, written as it is below.
  if (p.json_mode && !has_entry(p.extras, "format")) w.field("format", "json");
  w.field("stream", request.stream);  // Ollama streams unless told otherwise
  for (const auto& [key, value] : p.extras)
    if (!is_option(key)) w.key(key).raw(value);
  return w.end_object().take();
}

// A constant, not info()'s: build_request runs per call, and info() builds its strings each time.
constexpr std::string_view kDefaultBase = "http://127.0.0.1:11434";

}  // namespace

ProviderInfo OllamaProvider::info() const {
  // No key variable: a local server takes no key. One configured literally (or as env:VAR) is
  // sent as a Bearer token, for a proxy in front of it. No base URL variable: Ollama's own,
  // OLLAMA_HOST, is the server's bind address, often host:port without a scheme.
  return {.name = "ollama",
          .default_api_base = std::string(kDefaultBase),
          .description = "Ollama's native chat API (local models)"};
}

HttpRequest OllamaProvider::build_request(const ChatRequest& request,
                                          const Credentials& credentials) const {
  HttpRequest http;
  http.url =
      resolve_endpoint(request.api_base.empty() ? kDefaultBase : request.api_base, "api/chat");
  http.headers = {{"Content-Type", "application/json"},
                  {"Accept", request.stream ? "application/x-ndjson" : "application/json"}};
  if (!credentials.api_key.empty()) {
    http.headers.emplace_back("Authorization", "Bearer " + credentials.api_key);
  }
  http.body = render_body(request, http.warnings);
  return http;
}

}  // namespace llmrt::plugins::ollama
