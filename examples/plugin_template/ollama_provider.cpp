// The template for a provider plugin: Ollama's native chat API (POST /api/chat), whose stream
// is NDJSON — one JSON object per line, no SSE, no [DONE] — decoded with the SDK's
// LineDecoder. A plugin includes only llmrt's sdk headers and does no I/O: it renders
// requests, decodes bytes and classifies errors; the runtime does the rest.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "llmrt/sdk/chat_result_builder.h"
#include "llmrt/sdk/plugin_abi.h"

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string_view text_of(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject()) return {};
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

long long count_of(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  return it != object.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}

void write_text(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// Turns NDJSON lines into events; the last object has "done": true.
class OllamaStreamDecoder final : public llmrt::StreamDecoder {
 public:
  explicit OllamaStreamDecoder(const llmrt::DecoderLimits& limits)
      : lines_(limits.max_event_bytes) {}

  void feed(std::string_view bytes, std::vector<llmrt::StreamEvent>& out) override {
    lines_.feed(bytes, [&](std::string_view line) { decode(line, out); });
  }
  void finish(std::vector<llmrt::StreamEvent>& out) override {
    lines_.finish([&](std::string_view line) { decode(line, out); });
  }

 private:
  void decode(std::string_view line, std::vector<llmrt::StreamEvent>& out) {
    if (done_ || line.find_first_not_of(" \t") == std::string_view::npos) return;
    rapidjson::Document doc;
    // Iterative: a line nested 300,000 levels deep must not run the thread out of stack.
    doc.Parse<rapidjson::kParseIterativeFlag>(line.data(), line.size());
    if (doc.HasParseError() || !doc.IsObject()) {
      throw llmrt::Error(llmrt::ErrorKind::protocol, "malformed Ollama stream line: '" +
                                                         std::string(line.substr(0, 200)) + "'");
    }
    if (auto error = text_of(doc, "error"); !error.empty()) {
      llmrt::ErrorInfo info;
      info.kind = llmrt::ErrorKind::server;
      info.message = error;
      out.emplace_back(llmrt::ErrorEvent{std::move(info)});
      done_ = true;
      return;
    }
    auto message = doc.FindMember("message");
    if (message != doc.MemberEnd()) {
      if (auto thinking = text_of(message->value, "thinking"); !thinking.empty()) {
        out.emplace_back(llmrt::ReasoningDelta{std::string(thinking)});
      }
      if (auto content = text_of(message->value, "content"); !content.empty()) {
        out.emplace_back(llmrt::ContentDelta{std::string(content)});
      }
    }
    auto done = doc.FindMember("done");
    if (done == doc.MemberEnd() || !done->value.IsBool() || !done->value.GetBool()) return;
    std::string_view reason = text_of(doc, "done_reason");
    out.emplace_back(llmrt::FinishEvent{
        reason == "length" ? llmrt::FinishReason::length : llmrt::FinishReason::stop,
        std::string(reason)});
    long long prompt = count_of(doc, "prompt_eval_count");
    long long completion = count_of(doc, "eval_count");
    out.emplace_back(llmrt::UsageEvent{{prompt, completion, prompt + completion}});
    out.emplace_back(llmrt::DoneEvent{});
    done_ = true;
  }

  llmrt::LineDecoder lines_;
  bool done_ = false;
};

class OllamaProvider final : public llmrt::Provider {
 public:
  llmrt::ProviderInfo info() const override {
    // No key variable: a local Ollama needs no key, and the runtime then sends none.
    return {.name = "ollama",
            .default_api_base = "http://127.0.0.1:11434",
            .key_env_var = "",
            .description = "Ollama's native chat API (NDJSON stream) — the plugin template",
            .base_url_env_var = "",
            .options = {}};  // the ModelConfig::options keys it reads: none
  }

  llmrt::HttpRequest build_request(const llmrt::ChatRequest& request,
                                   const llmrt::Credentials& credentials) const override {
    const llmrt::GenParams& p = request.params;
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("model");
    write_text(w, request.model);
    w.Key("messages");
    w.StartArray();
    for (const llmrt::Message& m : request.messages) {
      w.StartObject();
      w.Key("role");
      write_text(w, m.role);
      w.Key("content");
      write_text(w, m.content);
      w.EndObject();
    }
    w.EndArray();
    w.Key("stream");
    w.Bool(request.stream);
    w.Key("options");  // Ollama's names for llmrt's parameters
    w.StartObject();
    if (p.max_new_tokens) {
      w.Key("num_predict");
      w.Int(*p.max_new_tokens);
    }
    if (p.temperature) {
      w.Key("temperature");
      w.Double(*p.temperature);
    }
    if (p.top_p) {
      w.Key("top_p");
      w.Double(*p.top_p);
    }
    if (p.top_k) {
      w.Key("top_k");
      w.Int(*p.top_k);
    }
    if (p.repetition_penalty) {
      w.Key("repeat_penalty");
      w.Double(*p.repetition_penalty);
    }
    if (p.seed) {
      w.Key("seed");
      w.Int64(*p.seed);
    }
    if (!p.stop_words.empty()) {
      w.Key("stop");
      w.StartArray();
      for (const std::string& s : p.stop_words) write_text(w, s);
      w.EndArray();
    }
    w.EndObject();
    if (p.json_mode) {
      w.Key("format");
      w.String("json");
    }
    for (const auto& [key, json] : p.extras) {  // e.g. "keep_alive", "tools"
      w.Key(key.c_str());
      w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
    }
    w.EndObject();

    llmrt::HttpRequest http;
    http.url = llmrt::resolve_endpoint(
        request.api_base.empty() ? info().default_api_base : request.api_base, "api/chat");
    http.headers.emplace_back("Content-Type", "application/json");
    if (!credentials.api_key.empty()) {  // a proxy in front of Ollama may want one
      http.headers.emplace_back("Authorization", "Bearer " + credentials.api_key);
    }
    http.body.assign(buffer.GetString(), buffer.GetSize());
    return http;
  }

  llmrt::ChatResult parse_response(const llmrt::HttpResponse& response) const override {
    // A whole reply is the stream's last object with the whole message: decode it as one.
    OllamaStreamDecoder decoder({});
    std::vector<llmrt::StreamEvent> events;
    decoder.feed(response.body, events);
    decoder.finish(events);
    llmrt::ChatResultBuilder builder;
    for (const llmrt::StreamEvent& e : events) {
      if (auto* error = std::get_if<llmrt::ErrorEvent>(&e)) throw llmrt::Error(error->error);
      builder.add(e);
    }
    return builder.result();
  }

  std::unique_ptr<llmrt::StreamDecoder> new_stream_decoder(
      const llmrt::ChatRequest&, const llmrt::StreamContext& context) const override {
    return std::make_unique<OllamaStreamDecoder>(context.limits);
  }

  llmrt::ErrorInfo classify_error(const llmrt::HttpResponse& response) const override {
    llmrt::ErrorInfo info;
    info.http_status = response.status;
    info.kind = llmrt::kind_for_http_status(response.status).value_or(llmrt::ErrorKind::protocol);
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseIterativeFlag>(response.body.data(), response.body.size());
    info.message =
        doc.HasParseError() ? response.body.substr(0, 200) : std::string(text_of(doc, "error"));
    return info;
  }
};

}  // namespace

LLMRT_EXPORT_PLUGIN(OllamaProvider, "ollama", "1.0.0")
