#include "llmrt/plugins/openai_compat/chat_body.h"

#include <algorithm>
#include <charconv>

#include "llmrt/sdk/error.h"

namespace llmrt::plugins::openai_compat {
namespace {

using Writer = JsonWriter;

void write_string(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace

// Text alone as a string; with parts, OpenAI's array of content parts.
void write_content(Writer& w, const Message& m) {
  w.Key("content");
  if (m.parts.empty()) {
    if (m.content.empty() && !m.tool_calls.empty()) {
      w.Null();  // an assistant turn that only called tools
    } else {
      write_string(w, m.content);
    }
    return;
  }
  w.StartArray();
  auto text_part = [&](std::string_view text) {
    w.StartObject();
    w.Key("type");
    w.String("text");
    w.Key("text");
    write_string(w, text);
    w.EndObject();
  };
  if (!m.content.empty()) text_part(m.content);
  for (const ContentPart& part : m.parts) {
    if (const auto* text = std::get_if<TextPart>(&part)) {
      text_part(text->text);
      continue;
    }
    const auto& image = std::get<ImagePart>(part);
    w.StartObject();
    w.Key("type");
    w.String("image_url");
    w.Key("image_url");
    w.StartObject();
    w.Key("url");
    write_string(
        w, image.url.empty() ? "data:" + image.media_type + ";base64," + image.data : image.url);
    if (!image.detail.empty()) {
      w.Key("detail");
      write_string(w, image.detail);
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
}

void write_tool_calls(Writer& w, const std::vector<ToolCall>& calls) {
  w.Key("tool_calls");
  w.StartArray();
  for (const ToolCall& call : calls) {
    w.StartObject();
    w.Key("id");
    write_string(w, call.id);
    w.Key("type");
    write_string(w, call.type.empty() ? "function" : call.type);
    w.Key("function");
    w.StartObject();
    w.Key("name");
    write_string(w, call.name);
    w.Key("arguments");
    write_string(w, call.arguments);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
}

void write_messages(Writer& w, const std::vector<Message>& messages) {
  w.StartArray();
  for (const Message& m : messages) {
    w.StartObject();
    w.Key("role");
    write_string(w, m.role);
    write_content(w, m);
    if (m.name) {
      w.Key("name");
      write_string(w, *m.name);
    }
    if (m.tool_call_id) {
      w.Key("tool_call_id");
      write_string(w, *m.tool_call_id);
    }
    if (!m.tool_calls.empty()) write_tool_calls(w, m.tool_calls);
    w.EndObject();
  }
  w.EndArray();
}

int max_tokens_cap(const ChatRequest& request, int fallback) {
  auto it = request.options.find("max_tokens_cap");
  if (it == request.options.end()) return fallback;
  int cap = 0;
  const std::string& text = it->second;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), cap);
  if (ec != std::errc() || end != text.data() + text.size() || cap <= 0) {
    throw Error(ErrorKind::bad_request,
                "option max_tokens_cap must be a positive integer, got '" + text + "'");
  }
  return cap;
}

void reject_reserved_extras(const GenParams& params) {
  for (std::string_view key : {"model", "messages", "stream"}) {
    if (params.extras.count(std::string(key)) != 0) {
      throw Error(ErrorKind::bad_request,
                  "parameter '" + std::string(key) + "' is set by llmrt and cannot be overridden");
    }
  }
  // lagent raises here too: one way to say it, so the cap always applies.
  if (params.extras.count("max_tokens") != 0) {
    throw Error(ErrorKind::bad_request,
                "parameter 'max_tokens' is not accepted: use 'max_new_tokens' instead");
  }
}

void write_extras(Writer& w, const GenParams& params) {
  for (const auto& [key, json] : params.extras) {
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
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
  http.headers.emplace_back("Authorization", "Bearer " + std::string(token));
  http.headers.emplace_back("Content-Type", "application/json");
  http.headers.emplace_back("Accept", stream ? "text/event-stream" : "application/json");
  return http;
}

bool is_reasoning_model(std::string_view model) {
  if (auto slash = model.rfind('/'); slash != std::string_view::npos) {
    model.remove_prefix(slash + 1);  // "openai/o3-mini" on routers
  }
  for (std::string_view family : {"o1", "o3", "o4"}) {
    if (model.substr(0, family.size()) == family &&
        (model.size() == family.size() || model[family.size()] == '-')) {
      return true;
    }
  }
  return model.substr(0, 5) == "gpt-5";
}

std::string render_chat_body(const ChatRequest& request, const BodyOptions& options) {
  const GenParams& p = request.params;
  reject_reserved_extras(p);
  if (options.allowed_keys != nullptr) reject_unsupported_extras(p, *options.allowed_keys);
  const bool reasoning = is_reasoning_model(request.model);
  auto wanted = [&](std::string_view key) {
    if (p.extras.count(std::string(key)) != 0) return false;  // the caller's value wins
    return options.allowed_keys == nullptr || options.allowed_keys->count(key) != 0;
  };

  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("model");
  write_string(w, request.model);
  w.Key("messages");
  write_messages(w, request.messages);
  if (wanted("n")) {
    w.Key("n");
    w.Int(1);
  }
  const char* tokens_key = reasoning ? "max_completion_tokens" : "max_tokens";
  if (wanted(tokens_key) && p.max_new_tokens) {
    w.Key(tokens_key);
    w.Int(std::min(*p.max_new_tokens, max_tokens_cap(request, options.max_tokens_cap)));
  }
  if (!reasoning) {
    if (wanted("temperature") && p.temperature) {
      w.Key("temperature");
      w.Double(*p.temperature);
    }
    if (wanted("top_p") && p.top_p) {
      w.Key("top_p");
      w.Double(*p.top_p);
    }
    if (wanted("frequency_penalty") && p.repetition_penalty) {
      w.Key("frequency_penalty");
      w.Double(*p.repetition_penalty);
    }
  }
  if (!p.stop_words.empty() && wanted("stop")) {
    w.Key("stop");
    w.StartArray();
    for (const std::string& s : p.stop_words) write_string(w, s);
    w.EndArray();
  }
  if (p.seed && wanted("seed")) {
    w.Key("seed");
    w.Int64(*p.seed);
  }
  if (options.allowed_keys == nullptr || options.allowed_keys->count("stream") != 0) {
    w.Key("stream");
    w.Bool(request.stream);
  }
  if (request.stream && options.stream_usage && wanted("stream_options")) {
    w.Key("stream_options");
    w.StartObject();
    w.Key("include_usage");
    w.Bool(true);
    w.EndObject();
  }
  if (p.json_mode && wanted("response_format")) {
    w.Key("response_format");
    w.StartObject();
    w.Key("type");
    w.String("json_object");
    w.EndObject();
  }
  // top_k is not an OpenAI parameter: dropped, as lagent does.
  write_extras(w, p);
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace llmrt::plugins::openai_compat
