// Renders a ChatRequest as a Messages API body (https://docs.anthropic.com/en/api/messages).
#include "anthropic.h"
#include "llmrt/sdk/json_writer.h"

namespace example {
namespace {

using llmrt::json::JsonWriter;

[[noreturn]] void refuse(const std::string& what) {
  throw llmrt::Error(llmrt::ErrorKind::bad_request, what);
}

void write_image(JsonWriter& w, const llmrt::ImagePart& image) {
  w.begin_object().field("type", "image").key("source").begin_object();
  if (image.data.empty()) {
    w.field("type", "url").field("url", image.url);
  } else {
    w.field("type", "base64").field("media_type", image.media_type).field("data", image.data);
  }
  w.end_object().end_object();
}

void write_text_block(JsonWriter& w, std::string_view text) {
  w.begin_object().field("type", "text").field("text", text).end_object();
}

// Anthropic takes a tool's input as a JSON object, not text: the model's arguments must parse.
void write_tool_use(JsonWriter& w, const llmrt::ToolCall& call) {
  const std::string input = call.arguments.empty() ? "{}" : call.arguments;
  auto parsed = llmrt::json::Document::try_parse(input);
  if (!parsed || !parsed->root().is_object()) {
    refuse("tool call '" + call.id + "': its arguments are not a JSON object");
  }
  w.begin_object().field("type", "tool_use").field("id", call.id).field("name", call.name);
  w.key("input").raw(input).end_object();
}

// Thinking goes back first and verbatim, signature included, or the API refuses the turn.
void write_assistant(JsonWriter& w, const llmrt::Message& m) {
  for (const llmrt::ReasoningBlock& block : m.reasoning) {
    w.begin_object();
    if (!block.redacted.empty()) {
      w.field("type", "redacted_thinking").field("data", block.redacted);
    } else {
      w.field("type", "thinking").field("thinking", block.text);
      w.field("signature", block.signature);
    }
    w.end_object();
  }
  if (!m.content.empty()) write_text_block(w, m.content);
  for (const llmrt::ToolCall& call : m.tool_calls) write_tool_use(w, call);
}

void write_user(JsonWriter& w, const llmrt::Message& m) {
  if (!m.content.empty()) write_text_block(w, m.content);
  for (const llmrt::ContentPart& part : m.parts) {
    if (const auto* text = std::get_if<llmrt::TextPart>(&part)) {
      write_text_block(w, text->text);
    } else {
      write_image(w, std::get<llmrt::ImagePart>(part));
    }
  }
}

// Results of the calls of one assistant turn go back together, in one user message.
std::size_t write_tool_results(JsonWriter& w, const std::vector<llmrt::Message>& ms,
                               std::size_t i) {
  w.begin_object().field("role", "user").key("content").begin_array();
  for (; i < ms.size() && ms[i].role == "tool"; ++i) {
    w.begin_object().field("type", "tool_result");
    w.field("tool_use_id", ms[i].tool_call_id.value_or("")).field("content", ms[i].content);
    w.end_object();
  }
  w.end_array().end_object();
  return i;
}

void write_messages(JsonWriter& w, const std::vector<llmrt::Message>& ms) {
  w.key("messages").begin_array();
  for (std::size_t i = 0; i < ms.size();) {
    const llmrt::Message& m = ms[i];
    if (m.role == "system") {
      ++i;  // rendered as the top-level "system"
      continue;
    }
    if (m.role == "tool") {
      i = write_tool_results(w, ms, i);
      continue;
    }
    if (m.role != "user" && m.role != "assistant") {
      refuse("role '" + m.role + "' is not a Messages API role (user, assistant, system, tool)");
    }
    w.begin_object().field("role", m.role).key("content").begin_array();
    m.role == "user" ? write_user(w, m) : write_assistant(w, m);
    w.end_array().end_object();
    ++i;
  }
  w.end_array();
}

void write_tools(JsonWriter& w, const llmrt::GenParams& p) {
  if (!p.tools.empty()) {
    w.key("tools").begin_array();
    for (const llmrt::ToolSpec& tool : p.tools) {
      w.begin_object().field("name", tool.name);
      if (!tool.description.empty()) w.field("description", tool.description);
      const std::string& schema = tool.parameters_json;
      w.key("input_schema").raw(schema.empty() ? R"({"type":"object"})" : schema).end_object();
    }
    w.end_array();
  }
  if (!p.tool_choice) return;
  static constexpr const char* kChoice[] = {"auto", "none", "any", "tool"};
  w.key("tool_choice").begin_object();
  w.field("type", kChoice[static_cast<int>(p.tool_choice->mode)]);
  if (p.tool_choice->mode == llmrt::ToolChoiceMode::function) {
    w.field("name", p.tool_choice->name);
  }
  w.end_object();
}

}  // namespace

std::string render_body(const llmrt::ChatRequest& r, std::vector<std::string>& warnings) {
  const llmrt::GenParams& p = r.params;
  JsonWriter w;
  w.begin_object().field("model", r.model);
  if (!p.max_new_tokens) {
    warnings.push_back("max_tokens is required by the Messages API: sent " +
                       std::to_string(kDefaultMaxTokens));
  }
  w.field("max_tokens", p.max_new_tokens.value_or(kDefaultMaxTokens));
  std::string system;
  for (const llmrt::Message& m : r.messages) {
    if (m.role == "system") system += (system.empty() ? "" : "\n\n") + m.content;
  }
  if (!system.empty()) w.field("system", system);
  write_messages(w, r.messages);
  if (p.temperature) w.field("temperature", *p.temperature);
  if (p.top_p) w.field("top_p", *p.top_p);
  if (p.top_k) w.field("top_k", *p.top_k);
  if (!p.stop_words.empty()) {
    w.key("stop_sequences").begin_array();
    for (const std::string& s : p.stop_words) w.string(s);
    w.end_array();
  }
  if (p.seed) warnings.push_back("seed is not a Messages API parameter: not sent");
  if (p.repetition_penalty) {
    warnings.push_back("repetition_penalty is not a Messages API parameter: not sent");
  }
  if (p.json_mode) warnings.push_back("json_mode is not a Messages API parameter: not sent");
  write_tools(w, p);
  for (const auto& [key, json] : p.extras) w.key(key).raw(json);  // "thinking", "metadata", …
  if (r.stream) w.field("stream", true);
  w.end_object();
  return w.take();
}

}  // namespace example
