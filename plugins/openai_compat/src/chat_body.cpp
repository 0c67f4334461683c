#include "llmrt/plugins/openai_compat/chat_body.h"

#include <algorithm>
#include <charconv>

#include "llmrt/plugins/openai_compat/param_warnings.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/string_map.h"

namespace llmrt::plugins::openai_compat {
namespace {

using Writer = JsonWriter;

}  // namespace

// Text alone as a string; with parts, OpenAI's array of content parts.
void write_content(Writer& w, const Message& m, bool null_without_text) {
  w.key("content");
  if (m.parts.empty()) {
    if (null_without_text && m.content.empty() && !m.tool_calls.empty()) {
      w.null();  // an assistant turn that only called tools
    } else {
      w.string(m.content);
    }
    return;
  }
  w.begin_array();
  auto text_part = [&](std::string_view text) {
    w.begin_object();
    w.key("type");
    w.string("text");
    w.key("text");
    w.string(text);
    w.end_object();
  };
  if (!m.content.empty()) text_part(m.content);
  for (const ContentPart& part : m.parts) {
    if (const auto* text = std::get_if<TextPart>(&part)) {
      text_part(text->text);
      continue;
    }
    const auto& image = std::get<ImagePart>(part);
    w.begin_object();
    w.key("type");
    w.string("image_url");
    w.key("image_url");
    w.begin_object();
    w.key("url");
    w.string(image.url.empty() ? "data:" + image.media_type + ";base64," + image.data : image.url);
    if (!image.detail.empty()) {
      w.key("detail");
      w.string(image.detail);
    }
    w.end_object();
    w.end_object();
  }
  w.end_array();
}

void write_tool_calls(Writer& w, const std::vector<ToolCall>& calls) {
  w.key("tool_calls");
  w.begin_array();
  for (const ToolCall& call : calls) {
    w.begin_object();
    w.key("id");
    w.string(call.id);
    w.key("type");
    w.string(call.type.empty() ? std::string_view("function") : std::string_view(call.type));
    w.key("function");
    w.begin_object();
    w.key("name");
    w.string(call.name);
    w.key("arguments");
    w.string(call.arguments);
    w.end_object();
    w.end_object();
  }
  w.end_array();
}

void write_messages(Writer& w, const std::vector<Message>& messages, bool null_without_text) {
  w.begin_array();
  for (const Message& m : messages) {
    w.begin_object();
    w.key("role");
    w.string(m.role);
    write_content(w, m, null_without_text);
    if (m.name) {
      w.key("name");
      w.string(*m.name);
    }
    if (m.tool_call_id) {
      w.key("tool_call_id");
      w.string(*m.tool_call_id);
    }
    if (!m.tool_calls.empty()) write_tool_calls(w, m.tool_calls);
    w.end_object();
  }
  w.end_array();
}

int max_tokens_cap(const ChatRequest& request, int fallback) {
  const std::string* given = find_entry(request.options, "max_tokens_cap");
  if (given == nullptr) return fallback;
  int cap = 0;
  const std::string& text = *given;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), cap);
  if (ec != std::errc() || end != text.data() + text.size() || cap <= 0) {
    throw Error(ErrorKind::bad_request,
                "option max_tokens_cap must be a positive integer, got '" + text + "'");
  }
  return cap;
}

void reject_reserved_extras(const GenParams& params) {
  for (std::string_view key : {"model", "messages", "stream"}) {
    if (has_entry(params.extras, key)) {
      throw Error(ErrorKind::bad_request,
                  "parameter '" + std::string(key) + "' is set by llmrt and cannot be overridden");
    }
  }
  // lagent raises here too: one way to say it, so the cap always applies.
  if (has_entry(params.extras, "max_tokens")) {
    throw Error(ErrorKind::bad_request,
                "parameter 'max_tokens' is not accepted: use 'max_new_tokens' instead");
  }
}

void write_tools(Writer& w, const GenParams& p) {
  for (std::string_view key : {"tools", "tool_choice"}) {
    const bool given = key == "tools" ? !p.tools.empty() : p.tool_choice.has_value();
    if (given && has_entry(p.extras, key)) {
      throw Error(ErrorKind::bad_request, "parameter '" + std::string(key) +
                                              "' is given twice (as " + std::string(key) +
                                              " and as an extra parameter)");
    }
  }
  if (!p.tools.empty()) {
    w.key("tools").begin_array();
    for (const ToolSpec& tool : p.tools) {
      w.begin_object();
      w.field("type", "function");
      w.key("function").begin_object();
      w.field("name", tool.name);
      if (!tool.description.empty()) w.field("description", tool.description);
      if (!tool.parameters_json.empty()) w.key("parameters").raw(tool.parameters_json);
      w.end_object();
      w.end_object();
    }
    w.end_array();
  }
  if (p.tool_choice) {
    w.key("tool_choice");
    switch (p.tool_choice->mode) {
      case ToolChoiceMode::automatic:
        w.string("auto");
        break;
      case ToolChoiceMode::none:
        w.string("none");
        break;
      case ToolChoiceMode::required:
        w.string("required");
        break;
      case ToolChoiceMode::function:
        w.begin_object();
        w.field("type", "function");
        w.key("function").begin_object().field("name", p.tool_choice->name).end_object();
        w.end_object();
        break;
    }
  }
}

void warn_unsent_reasoning(const std::vector<Message>& messages, std::string_view provider,
                           std::vector<std::string>& warnings) {
  for (const Message& m : messages) {
    for (const ReasoningBlock& block : m.reasoning) {
      if (!block.signature.empty() || !block.redacted.empty()) {
        warnings.push_back("reasoning blocks are not sent to " + std::string(provider));
        return;
      }
    }
  }
}

void write_extras(Writer& w, const GenParams& params) {
  for (const auto& [key, json] : params.extras) {
    w.key(key);
    w.raw(json);
  }
}

namespace {

void reject_unsupported_extras(const GenParams& params,
                               const std::set<std::string, std::less<>>& allowed) {
  for (const auto& [key, json] : params.extras) {
    if (allowed.count(key) != 0) continue;
    std::string names;
    for (const std::string& a : allowed) names += (names.empty() ? "" : ", ") + a;
    throw Error(ErrorKind::bad_request,
                "parameter '" + key + "' is not supported by this API (it takes: " + names + ")");
  }
}

}  // namespace

HttpRequest json_post(std::string url, std::string_view token, bool stream) {
  HttpRequest http;
  http.url = std::move(url);
  http.headers.reserve(6);  // room for the plugins' own few, without regrowing per request
  constexpr std::string_view kBearer = "Bearer ";
  std::string authorization;
  authorization.reserve(kBearer.size() + token.size());  // one allocation, not one for the key
  (authorization += kBearer) += token;                   // and a second for the whole
  http.headers.emplace_back("Authorization", std::move(authorization));
  http.headers.emplace_back("Content-Type", "application/json");
  http.headers.emplace_back("Accept", stream ? "text/event-stream" : "application/json");
  return http;
}

bool is_reasoning_model(std::string_view model) {
  if (auto slash = model.rfind('/'); slash != std::string_view::npos) {
    model.remove_prefix(slash + 1);  // "openai/o3-mini" on routers
  }
  // "o1", "o3", "o4", alone or before a '-'. Read by character: this runs for every request.
  if (model.size() >= 2 && model[0] == 'o' &&
      (model[1] == '1' || model[1] == '3' || model[1] == '4') &&
      (model.size() == 2 || model[2] == '-')) {
    return true;
  }
  return model.starts_with("gpt-5");
}

std::string render_chat_body(const ChatRequest& request, const BodyOptions& options) {
  const GenParams& p = request.params;
  reject_reserved_extras(p);
  if (options.allowed_keys != nullptr) reject_unsupported_extras(p, *options.allowed_keys);
  const bool reasoning = is_reasoning_model(request.model);
  auto overridden = [&](std::string_view key) { return has_entry(p.extras, key); };
  auto allowed = [&](std::string_view key) {
    return options.allowed_keys == nullptr || options.allowed_keys->count(key) != 0;
  };
  auto wanted = [&](std::string_view key) {
    return !overridden(key) && allowed(key);  // the caller's own value wins
  };
  ParamWarnings warn(options.warnings, options.api_name);

  Writer w;
  std::size_t text_bytes = 0;
  for (const Message& m : request.messages) text_bytes += m.content.size();
  w.reserve(text_bytes + 256);  // the texts and the few keys around them, in one allocation
  w.begin_object();
  w.key("model");
  w.string(request.model);
  w.key("messages");
  write_messages(w, request.messages);
  if (wanted("n")) {
    w.key("n");
    w.number(1);
  }
  const char* tokens_key = reasoning ? "max_completion_tokens" : "max_tokens";
  if (p.max_new_tokens && !overridden(tokens_key)) {
    if (allowed(tokens_key)) {
      const int cap = max_tokens_cap(request, options.max_tokens_cap);
      if (*p.max_new_tokens > cap) warn.capped(*p.max_new_tokens, tokens_key, cap);
      w.key(tokens_key);
      w.number(std::min(*p.max_new_tokens, cap));
    } else {
      warn.not_taken("max_new_tokens");
    }
  }
  // Reasoning models refuse sampling parameters (OpenAI's reasoning guide).
  auto sampling = [&](std::string_view name, std::string_view key, std::optional<double> value) {
    if (!value || overridden(key)) return;
    if (reasoning) {
      warn.not_taken_by_model(name, request.model);
    } else if (!allowed(key)) {
      warn.not_taken(name);
    } else {
      w.key(key);
      w.number(*value);
    }
  };
  sampling("temperature", "temperature", p.temperature);
  sampling("top_p", "top_p", p.top_p);
  sampling("repetition_penalty (as frequency_penalty)", "frequency_penalty", p.repetition_penalty);
  if (!p.stop_words.empty() && !overridden("stop")) {
    if (allowed("stop")) {
      w.key("stop");
      w.begin_array();
      for (const std::string& s : p.stop_words) w.string(s);
      w.end_array();
    } else {
      warn.not_taken("stop_words", "llmrt still cuts the reply at them");
    }
  }
  if (p.seed && !overridden("seed")) {
    if (allowed("seed")) {
      w.key("seed");
      w.number(*p.seed);
    } else {
      warn.not_taken("seed");
    }
  }
  if (options.allowed_keys == nullptr || options.allowed_keys->count("stream") != 0) {
    w.key("stream");
    w.boolean(request.stream);
  }
  if (request.stream && options.stream_usage && wanted("stream_options")) {
    w.key("stream_options");
    w.begin_object();
    w.key("include_usage");
    w.boolean(true);
    w.end_object();
  }
  if (p.json_mode && !overridden("response_format")) {
    if (allowed("response_format")) {
      w.key("response_format");
      w.begin_object();
      w.key("type");
      w.string("json_object");
      w.end_object();
    } else {
      warn.not_taken("json_mode (response_format)");
    }
  }
  write_tools(w, p);
  // top_k is not an OpenAI parameter: dropped, as lagent does.
  if (p.top_k && !overridden("top_k")) warn.not_taken("top_k");
  write_extras(w, p);
  w.end_object();
  return w.take();
}

}  // namespace llmrt::plugins::openai_compat
