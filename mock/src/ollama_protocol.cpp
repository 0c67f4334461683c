// Ollama's native chat API (POST /api/chat, ollama/ollama docs/api.md): a stream of JSON objects,
// one a line (application/x-ndjson), unless the request says "stream": false; errors are
// {"error": "text"}.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "json_string.h"
#include "protocol.h"

namespace llmrt::mock {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
// Fixed: replies are reproducible byte for byte.
constexpr const char* kCreatedAt = "2024-07-22T20:33:28.123648Z";

std::string model_of(const rapidjson::Value& body) {
  auto it = body.FindMember("model");
  if (it == body.MemberEnd() || !it->value.IsString()) return "mock-model";
  return {it->value.GetString(), it->value.GetStringLength()};
}

// Ollama's own words for its usual failures (the message is all its errors carry).
std::string default_message(const Scenario& s, const rapidjson::Value& body) {
  if (!s.error_code.empty()) return s.error_code;
  switch (s.status) {
    case 404:
      return "model '" + model_of(body) + "' not found";
    case 401:
      return "unauthorized";
    case 429:
      return "too many concurrent requests";
    case 400:
      return "invalid options: mock Ollama error for HTTP 400";
    default:
      return "llama runner process has terminated: mock Ollama error for HTTP " +
             std::to_string(s.status);
  }
}

std::string error_body(const Scenario& s, const rapidjson::Value& body) {
  if (!s.error_body.empty()) return s.error_body;
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("error");
  str(w, default_message(s, body));
  w.EndObject();
  return {b.GetString(), b.GetSize()};
}

// Ollama gives a call's arguments as a JSON object (the scenario has them as text).
void arguments(Writer& w, const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (!doc.HasParseError() && doc.IsObject()) {
    doc.Accept(w);
  } else {
    str(w, text);  // what a broken server might send; the client must cope
  }
}

// What a line or a whole reply holds. Ollama's calls carry no id: the mock sends none either.
struct Line {
  std::string_view content;
  std::string_view thinking;
  const std::vector<MockToolCall>* tool_calls = nullptr;
  bool done = false;
  std::string_view done_reason;
  long long prompt = 0;
  long long completion = 0;
};

std::string object(std::string_view model, const Line& line) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("model");
  str(w, model);
  w.Key("created_at");
  w.String(kCreatedAt);
  w.Key("message");
  w.StartObject();
  w.Key("role");
  w.String("assistant");
  w.Key("content");
  str(w, line.content);
  if (!line.thinking.empty()) {
    w.Key("thinking");
    str(w, line.thinking);
  }
  if (line.tool_calls != nullptr && !line.tool_calls->empty()) {
    w.Key("tool_calls");
    w.StartArray();
    for (const MockToolCall& call : *line.tool_calls) {
      w.StartObject();
      w.Key("function");
      w.StartObject();
      w.Key("name");
      str(w, call.name);
      w.Key("arguments");
      arguments(w, call.arguments);
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  w.Key("done");
  w.Bool(line.done);
  if (line.done) {
    w.Key("done_reason");
    str(w, line.done_reason);
    w.Key("total_duration");
    w.Int64(885095291);
    w.Key("prompt_eval_count");
    w.Int64(line.prompt);
    w.Key("eval_count");
    w.Int64(line.completion);
  }
  w.EndObject();
  return {b.GetString(), b.GetSize()};
}

class OllamaProtocol final : public Protocol {
 public:
  const rapidjson::Value* mock_object(const rapidjson::Value& body) const override {
    auto it = body.FindMember("mock");
    return it == body.MemberEnd() ? nullptr : &it->value;
  }

  void respond(const RecordedRequest&, const rapidjson::Value& body, const Scenario& s,
               Poco::Net::HTTPServerResponse& response, Wire& wire) const override {
    if (reply_with_error(s, s.status == 200 ? std::string() : error_body(s, body), response)) {
      return;
    }
    // Ollama streams unless the request says "stream": false.
    auto stream = body.FindMember("stream");
    const bool streamed =
        stream == body.MemberEnd() || !stream->value.IsBool() || stream->value.GetBool();
    const std::string model = model_of(body);
    auto messages = body.FindMember("messages");
    const long long prompt =
        count_prompt_words(messages == body.MemberEnd() ? nullptr : &messages->value);
    if (streamed && !s.ignore_stream) {
      respond_stream(model, prompt, s, response, wire);
      return;
    }
    const std::string content = s.full_content();
    const std::string text =
        !s.stream_error.empty()
            ? error_object(s.stream_error)  // a 200 whose body is an error object
            : object(model, {.content = content,
                             .thinking = s.reasoning,
                             .tool_calls = &s.tool_calls,
                             .done = true,
                             .done_reason = s.finish_reason,
                             .prompt = prompt,
                             .completion = static_cast<long long>(s.content_pieces().size())});
    response.setContentType("application/json; charset=utf-8");
    response.sendBuffer(text.data(), text.size());
  }

 private:
  static void respond_stream(const std::string& model, long long prompt, const Scenario& s,
                             Poco::Net::HTTPServerResponse& response, Wire& wire) {
    response.setChunkedTransferEncoding(true);
    response.setContentType("application/x-ndjson");
    std::ostream& out = response.send();
    EventWriter lines(out, s, wire);
    if (!s.reasoning.empty()) {
      Scenario r;
      r.content = s.reasoning;
      for (const std::string& piece : r.content_pieces()) {
        lines.write(object(model, {.thinking = piece}) + "\n");
      }
    }
    const std::vector<std::string> pieces = s.content_pieces();
    for (const std::string& piece : pieces) lines.write(object(model, {.content = piece}) + "\n");
    // Ollama sends each call whole, in a line of its own.
    for (const MockToolCall& call : s.tool_calls) {
      const std::vector<MockToolCall> one{call};
      lines.write(object(model, {.tool_calls = &one}) + "\n");
    }
    if (!s.stream_error.empty()) {
      lines.write(error_object(s.stream_error) + "\n");
    } else {
      lines.write(object(model, {.done = true,
                                 .done_reason = s.finish_reason,
                                 .prompt = prompt,
                                 .completion = static_cast<long long>(pieces.size())}) +
                  "\n");
    }
    lines.finish();
  }
};

}  // namespace

std::unique_ptr<Protocol> make_ollama_protocol() { return std::make_unique<OllamaProtocol>(); }

}  // namespace llmrt::mock
