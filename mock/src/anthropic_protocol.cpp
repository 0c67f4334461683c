// Anthropic's Messages API (POST /v1/messages), as shared/wire/beyond.md and Anthropic's
// streaming docs describe it: named events, content blocks (thinking with a signature, text,
// tool_use with its input in input_json_delta fragments), stop reasons, usage with cache tokens,
// {"type":"error","error":{"type","message"}} bodies and `event: error` after a 200.
#include <Poco/Net/HTTPResponse.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "json_string.h"
#include "protocol.h"

namespace llmrt::mock {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
constexpr const char* kRequestId = "req_mock_anthropic";

// The documented error type of each status (https://docs.anthropic.com/en/api/errors).
std::string_view error_type(int status) {
  switch (status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 504:
      return "timeout_error";
    case 529:
      return "overloaded_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

std::string error_body(const Scenario& s) {
  if (!s.error_body.empty()) return s.error_body;
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("type");
  w.String("error");
  w.Key("error");
  w.StartObject();
  w.Key("type");
  str(w, s.error_code.empty() ? error_type(s.status) : s.error_code);
  w.Key("message");
  std::string message = "mock Anthropic error for HTTP ";
  str(w, message.append(std::to_string(s.status)));
  w.EndObject();
  w.Key("request_id");
  w.String(kRequestId);
  w.EndObject();
  return {b.GetString(), b.GetSize()};
}

// The scenario's finish reason (OpenAI's words) as a stop_reason; Anthropic's own words
// (stop_sequence, pause_turn, …) pass as they are.
std::string stop_reason(const Scenario& s) {
  if (!s.tool_calls.empty() || s.finish_reason == "tool_calls") return "tool_use";
  if (s.finish_reason == "stop") return "end_turn";
  if (s.finish_reason == "length") return "max_tokens";
  if (s.finish_reason == "content_filter") return "refusal";
  return s.finish_reason;
}

// The thinking block's signature: the real one is opaque; this one names its text's length, so
// a test can see it come back on the next turn.
std::string signature(const Scenario& s) {
  std::string signature = "mock-signature-";
  return signature.append(std::to_string(s.reasoning.size()));
}

// Words in the system prompt and in the text of every message: the mock's prompt tokens.
long long prompt_words(const rapidjson::Value& body) {
  long long words = 0;
  auto count = [&](const rapidjson::Value* text) {
    if (text == nullptr || !text->IsString() || text->GetStringLength() == 0) return;
    ++words;
    for (const char* p = text->GetString(); *p != '\0'; ++p) words += (*p == ' ');
  };
  count(member(body, "system"));
  const rapidjson::Value* messages = member(body, "messages");
  if (messages == nullptr || !messages->IsArray()) return words;
  for (const auto& m : messages->GetArray()) {
    const rapidjson::Value* content = member(m, "content");
    if (content != nullptr && content->IsArray()) {
      for (const auto& block : content->GetArray()) count(member(block, "text"));
    } else {
      count(content);
    }
  }
  return words;
}

void usage(Writer& w, const Scenario& s, long long input, long long output) {
  w.Key("usage");
  w.StartObject();
  w.Key("input_tokens");
  w.Int64(input);
  w.Key("cache_creation_input_tokens");
  w.Int64(s.cache_write_tokens);
  w.Key("cache_read_input_tokens");
  w.Int64(s.cache_read_tokens);
  w.Key("output_tokens");
  w.Int64(output);
  w.EndObject();
}

// A tool's input as an object: the arguments when they are one, else {}.
void tool_input(Writer& w, const std::string& arguments) {
  rapidjson::Document doc;
  doc.Parse(arguments.data(), arguments.size());
  if (doc.HasParseError() || !doc.IsObject()) doc.SetObject();
  doc.Accept(w);
}

std::string_view model_of(const rapidjson::Value& body) {
  const rapidjson::Value* model = member(body, "model");
  if (model == nullptr || !model->IsString()) return "mock-model";
  return {model->GetString(), model->GetStringLength()};
}

// The members a Message opens with; `content` follows.
void message_head(Writer& w, std::string_view model) {
  w.Key("id");
  w.String("msg_mock");
  w.Key("type");
  w.String("message");
  w.Key("role");
  w.String("assistant");
  w.Key("model");
  str(w, model);
}

std::string event(std::string_view name, const rapidjson::StringBuffer& data) {
  std::string e = "event: ";
  e.append(name).append("\ndata: ").append(data.GetString(), data.GetSize()).append("\n\n");
  return e;
}

// One content_block_delta event of block `index`: {"type": type, field: text}.
std::string block_delta(int index, const char* type, const char* field, std::string_view text) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("type");
  w.String("content_block_delta");
  w.Key("index");
  w.Int(index);
  w.Key("delta");
  w.StartObject();
  w.Key("type");
  w.String(type);
  w.Key(field);
  str(w, text);
  w.EndObject();
  w.EndObject();
  return event("content_block_delta", b);
}

std::string block_edge(const char* name, int index, const MockToolCall* tool,
                       const char* block_type) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("type");
  w.String(name);
  w.Key("index");
  w.Int(index);
  if (block_type != nullptr) {
    w.Key("content_block");
    w.StartObject();
    w.Key("type");
    w.String(block_type);
    if (tool != nullptr) {
      w.Key("id");
      str(w, tool->id);
      w.Key("name");
      str(w, tool->name);
      w.Key("input");
      w.StartObject();
      w.EndObject();
    } else if (std::string_view(block_type) == "thinking") {
      w.Key("thinking");
      w.String("");
      w.Key("signature");
      w.String("");
    } else {
      w.Key("text");
      w.String("");
    }
    w.EndObject();
  }
  w.EndObject();
  return event(name, b);
}

class AnthropicProtocol final : public Protocol {
 public:
  const rapidjson::Value* mock_object(const rapidjson::Value& body) const override {
    return member(body, "mock");
  }

  void respond(const RecordedRequest&, const rapidjson::Value& body, const Scenario& s,
               Poco::Net::HTTPServerResponse& response, Wire& wire) const override {
    response.set("request-id", kRequestId);
    if (reply_with_error(s, s.status == 200 ? std::string() : error_body(s), response)) return;
    const rapidjson::Value* stream = member(body, "stream");
    if (stream != nullptr && stream->IsBool() && stream->GetBool() && !s.ignore_stream) {
      respond_stream(body, s, response, wire);
      return;
    }
    // An error object under a 200 when the scenario has an in-stream error.
    std::string text = s.stream_error.empty() ? whole(body, s) : s.stream_error;
    response.setContentType("application/json");
    response.sendBuffer(text.data(), text.size());
  }

 private:
  static std::string whole(const rapidjson::Value& body, const Scenario& s) {
    rapidjson::StringBuffer b;
    Writer w(b);
    w.StartObject();
    message_head(w, model_of(body));
    w.Key("content");
    w.StartArray();
    if (!s.reasoning.empty()) {
      w.StartObject();
      w.Key("type");
      w.String("thinking");
      w.Key("thinking");
      str(w, s.reasoning);
      w.Key("signature");
      str(w, signature(s));
      w.EndObject();
    }
    if (!s.full_content().empty()) {
      w.StartObject();
      w.Key("type");
      w.String("text");
      w.Key("text");
      str(w, s.full_content());
      w.EndObject();
    }
    for (const MockToolCall& call : s.tool_calls) {
      w.StartObject();
      w.Key("type");
      w.String("tool_use");
      w.Key("id");
      str(w, call.id);
      w.Key("name");
      str(w, call.name);
      w.Key("input");
      tool_input(w, call.arguments);
      w.EndObject();
    }
    w.EndArray();
    w.Key("stop_reason");
    str(w, stop_reason(s));
    w.Key("stop_sequence");
    w.Null();
    usage(w, s, prompt_words(body), static_cast<long long>(s.content_pieces().size()));
    w.EndObject();
    return {b.GetString(), b.GetSize()};
  }

  // message_start, a ping, the thinking block (text, then its signature), the text block, each
  // tool_use block (its input in two fragments), message_delta, message_stop: as the API
  // sends them.
  static void respond_stream(const rapidjson::Value& body, const Scenario& s,
                             Poco::Net::HTTPServerResponse& response, Wire& wire) {
    response.setChunkedTransferEncoding(true);
    response.setContentType("text/event-stream; charset=utf-8");
    response.set("Cache-Control", "no-cache");
    std::ostream& out = response.send();
    EventWriter events(out, s, wire);
    const long long prompt = prompt_words(body);
    {
      rapidjson::StringBuffer b;
      Writer w(b);
      w.StartObject();
      w.Key("type");
      w.String("message_start");
      w.Key("message");
      w.StartObject();
      message_head(w, model_of(body));
      w.Key("content");
      w.StartArray();
      w.EndArray();
      w.Key("stop_reason");
      w.Null();
      w.Key("stop_sequence");
      w.Null();
      usage(w, s, prompt, 1);
      w.EndObject();
      w.EndObject();
      events.write(event("message_start", b));
    }
    int index = 0;
    if (!s.reasoning.empty()) {
      events.write(block_edge("content_block_start", index, nullptr, "thinking"));
      Scenario r;
      r.content = s.reasoning;
      for (const std::string& piece : r.content_pieces()) {
        events.write(block_delta(index, "thinking_delta", "thinking", piece));
      }
      events.write(block_delta(index, "signature_delta", "signature", signature(s)));
      events.write(block_edge("content_block_stop", index++, nullptr, nullptr));
    }
    const std::vector<std::string> pieces = s.content_pieces();
    if (!pieces.empty()) {
      events.write(block_edge("content_block_start", index, nullptr, "text"));
      events.write("event: ping\ndata: {\"type\": \"ping\"}\n\n");
      for (const std::string& piece : pieces) {
        events.write(block_delta(index, "text_delta", "text", piece));
      }
      events.write(block_edge("content_block_stop", index++, nullptr, nullptr));
    }
    for (const MockToolCall& call : s.tool_calls) {
      events.write(block_edge("content_block_start", index, &call, "tool_use"));
      const std::size_t half = call.arguments.size() / 2;
      const std::string_view arguments = call.arguments;
      events.write(
          block_delta(index, "input_json_delta", "partial_json", arguments.substr(0, half)));
      events.write(block_delta(index, "input_json_delta", "partial_json", arguments.substr(half)));
      events.write(block_edge("content_block_stop", index++, nullptr, nullptr));
    }
    if (!s.stream_error.empty()) {
      events.write("event: error\ndata: " + s.stream_error + "\n\n");
      events.finish();
      return;
    }
    rapidjson::StringBuffer b;
    Writer w(b);
    w.StartObject();
    w.Key("type");
    w.String("message_delta");
    w.Key("delta");
    w.StartObject();
    w.Key("stop_reason");
    str(w, stop_reason(s));
    w.Key("stop_sequence");
    w.Null();
    w.EndObject();
    usage(w, s, prompt, static_cast<long long>(pieces.size()));
    w.EndObject();
    events.write(event("message_delta", b));
    events.write("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    events.finish();
  }
};

}  // namespace

std::unique_ptr<Protocol> make_anthropic_protocol() {
  return std::make_unique<AnthropicProtocol>();
}

}  // namespace llmrt::mock
