#include <Poco/Net/HTTPResponse.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <unordered_map>

#include "azure_shapes.h"
#include "json_string.h"
#include "protocol.h"

namespace llmrt::mock {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
constexpr long long kCreated = 1727346168;  // fixed: replies are reproducible byte for byte

std::string_view model_of(const rapidjson::Value& body) {
  auto it = body.FindMember("model");
  if (it == body.MemberEnd() || !it->value.IsString()) return "mock-model";
  return {it->value.GetString(), it->value.GetStringLength()};
}

long long prompt_tokens(const rapidjson::Value& body) {
  auto it = body.FindMember("messages");
  return count_prompt_words(it == body.MemberEnd() ? nullptr : &it->value);
}

bool wants_usage(const rapidjson::Value& body) {
  auto it = body.FindMember("stream_options");
  if (it == body.MemberEnd() || !it->value.IsObject()) return false;
  auto u = it->value.FindMember("include_usage");
  return u != it->value.MemberEnd() && u->value.IsBool() && u->value.GetBool();
}

void usage(Writer& w, long long prompt, long long completion) {
  w.Key("usage");
  w.StartObject();
  w.Key("prompt_tokens");
  w.Int64(prompt);
  w.Key("completion_tokens");
  w.Int64(completion);
  w.Key("total_tokens");
  w.Int64(prompt + completion);
  w.EndObject();
}

std::string default_error_body(int status, const std::string& code) {
  std::string type = status == 429   ? "rate_limit_exceeded"
                     : status == 401 ? "invalid_request_error"
                     : status >= 500 ? "server_error"
                                     : "invalid_request_error";
  std::string c = !code.empty()   ? code
                  : status == 429 ? "rate_limit_exceeded"
                  : status == 401 ? "invalid_api_key"
                  : status == 404 ? "model_not_found"
                                  : "";
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("error");
  w.StartObject();
  w.Key("message");
  str(w, "mock error for HTTP " + std::to_string(status));
  w.Key("type");
  str(w, type);
  w.Key("param");
  w.Null();
  w.Key("code");
  if (c.empty()) {
    w.Null();
  } else {
    str(w, c);
  }
  w.EndObject();
  w.EndObject();
  return b.GetString();
}

// The members every reply object opens with.
void envelope(Writer& w, const char* object, std::string_view model) {
  w.Key("id");
  w.String("chatcmpl-mock");
  w.Key("object");
  w.String(object);
  w.Key("created");
  w.Int64(kCreated);
  w.Key("model");
  str(w, model);
}

// One chat.completion.chunk whose choice 0 has `fill_delta` as delta and `finish` as reason;
// with `azure`, and Azure's content_filter_results.
template <class FillDelta>
std::string chunk(std::string_view model, FillDelta&& fill_delta, std::string_view finish,
                  bool azure) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  envelope(w, "chat.completion.chunk", model);
  w.Key("choices");
  w.StartArray();
  w.StartObject();
  w.Key("index");
  w.Int(0);
  w.Key("delta");
  w.StartObject();
  fill_delta(w);
  w.EndObject();
  w.Key("logprobs");
  w.Null();
  if (azure) azure::content_filter_results(w, finish == "content_filter");
  w.Key("finish_reason");
  if (finish.empty()) {
    w.Null();
  } else {
    str(w, finish);
  }
  w.EndObject();
  w.EndArray();
  w.EndObject();
  std::string event = "data: ";
  event.append(b.GetString(), b.GetSize());
  event += "\n\n";
  return event;
}

void tool_call_fragment(Writer& w, std::size_t index, const MockToolCall* head,
                        std::string_view arguments) {
  w.Key("tool_calls");
  w.StartArray();
  w.StartObject();
  w.Key("index");
  w.Int(static_cast<int>(index));
  if (head != nullptr) {
    w.Key("id");
    str(w, head->id);
    w.Key("type");
    w.String("function");
  }
  w.Key("function");
  w.StartObject();
  if (head != nullptr) {
    w.Key("name");
    str(w, head->name);
  }
  w.Key("arguments");
  str(w, arguments);
  w.EndObject();
  w.EndObject();
  w.EndArray();
}

// Puyu's own shapes: the gateway's msgCode for auth failures, {"code": N} for a numeric code
// (-20003: context too long); anything else the OpenAI shape.
std::string puyu_error_body(int status, const std::string& code) {
  if (status == 401 || status == 403) {
    return R"({"success":false,"msgCode":")" + (code.empty() ? std::string("A0202") : code) +
           R"(","msg":"user authenticate failed","data":null})";
  }
  if (!code.empty() && (code[0] == '-' || std::isdigit(static_cast<unsigned char>(code[0])))) {
    return R"({"code":)" + code + R"(,"msg":"mock Puyu error"})";
  }
  return default_error_body(status, code);
}

class OpenAiProtocol final : public Protocol {
 public:
  explicit OpenAiProtocol(OpenAiDialect dialect) : dialect_(dialect) {}

  const rapidjson::Value* mock_object(const rapidjson::Value& body) const override {
    auto it = body.FindMember("mock");
    return it == body.MemberEnd() ? nullptr : &it->value;
  }

  void respond(const RecordedRequest& request, const rapidjson::Value& body, const Scenario& s,
               Poco::Net::HTTPServerResponse& response, Wire& wire) const override {
    if (dialect_ == OpenAiDialect::azure) {
      if (auto refused = azure::refusal(request)) {
        response.setStatusAndReason(
            static_cast<Poco::Net::HTTPResponse::HTTPStatus>(refused->status));
        response.setContentType("application/json");
        response.sendBuffer(refused->body.data(), refused->body.size());
        return;
      }
    }
    if (reply_with_error(s, s.status == 200 ? std::string() : error_body(s, dialect_), response))
      return;
    auto stream = body.FindMember("stream");
    if (stream != body.MemberEnd() && stream->value.IsBool() && stream->value.GetBool() &&
        !s.ignore_stream) {
      respond_stream(body, s, response, wire);
    } else {
      respond_whole(body, s, response);
    }
  }

 private:
  static std::string error_body(const Scenario& s, OpenAiDialect dialect) {
    if (!s.error_body.empty()) return s.error_body;
    switch (dialect) {
      case OpenAiDialect::puyu:
        return puyu_error_body(s.status, s.error_code);
      case OpenAiDialect::azure:
        return azure::error_body(s.status, s.error_code);
      default:
        return default_error_body(s.status, s.error_code);
    }
  }

  // An error inside a reply: OpenAI wraps it in {"error": …}; Puyu sends its object as it is.
  std::string in_reply_error(const Scenario& s) const {
    return dialect_ == OpenAiDialect::puyu ? s.stream_error : "{\"error\":" + s.stream_error + "}";
  }

  void respond_whole(const rapidjson::Value& body, const Scenario& s,
                     Poco::Net::HTTPServerResponse& response) const {
    std::string text;
    if (!s.stream_error.empty()) {
      text = in_reply_error(s);
    } else {
      std::vector<std::string> pieces = s.content_pieces();
      rapidjson::StringBuffer b;
      Writer w(b);
      w.StartObject();
      envelope(w, "chat.completion", model_of(body));
      w.Key("choices");
      w.StartArray();
      w.StartObject();
      w.Key("index");
      w.Int(0);
      w.Key("message");
      w.StartObject();
      w.Key("role");
      w.String("assistant");
      w.Key("content");
      str(w, s.full_content());
      if (!s.reasoning.empty()) {
        w.Key("reasoning_content");
        str(w, s.reasoning);
      }
      if (!s.tool_calls.empty()) {
        w.Key("tool_calls");
        w.StartArray();
        for (const MockToolCall& call : s.tool_calls) {
          w.StartObject();
          w.Key("id");
          str(w, call.id);
          w.Key("type");
          w.String("function");
          w.Key("function");
          w.StartObject();
          w.Key("name");
          str(w, call.name);
          w.Key("arguments");
          str(w, call.arguments);
          w.EndObject();
          w.EndObject();
        }
        w.EndArray();
      }
      w.EndObject();
      const std::string reason = s.tool_calls.empty() ? s.finish_reason : "tool_calls";
      if (azure()) azure::content_filter_results(w, reason == "content_filter");
      w.Key("finish_reason");
      str(w, reason);
      w.EndObject();
      w.EndArray();
      usage(w, prompt_tokens(body), static_cast<long long>(pieces.size()));
      if (azure()) azure::prompt_filter_results(w);
      w.EndObject();
      text.assign(b.GetString(), b.GetSize());
    }
    response.setContentType("application/json");
    response.sendBuffer(text.data(), text.size());
  }

  void respond_stream(const rapidjson::Value& body, const Scenario& s,
                      Poco::Net::HTTPServerResponse& response, Wire& wire) const {
    response.setChunkedTransferEncoding(true);
    response.setContentType("text/event-stream");
    response.set("Cache-Control", "no-cache");
    std::ostream& out = response.send();
    EventWriter events(out, s, wire);
    std::string_view model = model_of(body);
    if (azure()) events.write(azure::prompt_filter_event());
    events.write(chunk(
        model,
        [](Writer& w) {
          w.Key("role");
          w.String("assistant");
          w.Key("content");
          w.String("");
        },
        "", azure()));
    if (!s.reasoning.empty()) {
      Scenario r;
      r.content = s.reasoning;
      for (const std::string& piece : r.content_pieces()) {
        events.write(chunk(
            model,
            [&](Writer& w) {
              w.Key("reasoning_content");
              str(w, piece);
            },
            "", azure()));
      }
    }
    std::vector<std::string> pieces = s.content_pieces();
    // A long stream repeats a few words: each distinct chunk is rendered once, so that the
    // mock server is not what limits a client benchmark.
    std::unordered_map<std::string_view, std::string> rendered;
    for (const std::string& piece : pieces) {
      auto [it, fresh] = rendered.try_emplace(piece);
      if (fresh) {
        it->second = chunk(
            model,
            [&](Writer& w) {
              w.Key("content");
              str(w, piece);
            },
            "", azure());
      }
      events.write(it->second);
    }
    for (std::size_t i = 0; i < s.tool_calls.size(); ++i) {
      const MockToolCall& call = s.tool_calls[i];
      std::size_t half = call.arguments.size() / 2;
      events.write(chunk(
          model, [&](Writer& w) { tool_call_fragment(w, i, &call, ""); }, "", azure()));
      events.write(chunk(
          model,
          [&](Writer& w) {
            tool_call_fragment(w, i, nullptr, std::string_view(call.arguments).substr(0, half));
          },
          "", azure()));
      events.write(chunk(
          model,
          [&](Writer& w) {
            tool_call_fragment(w, i, nullptr, std::string_view(call.arguments).substr(half));
          },
          "", azure()));
    }
    if (!s.stream_error.empty()) {
      events.write("data: " + in_reply_error(s) + "\n\n");
      events.finish();
      return;
    }
    std::string reason = s.tool_calls.empty() ? s.finish_reason : std::string("tool_calls");
    events.write(chunk(
        model, [](Writer&) {}, reason, azure()));
    if (wants_usage(body)) {
      rapidjson::StringBuffer b;
      Writer w(b);
      w.StartObject();
      envelope(w, "chat.completion.chunk", model);
      w.Key("choices");
      w.StartArray();
      w.EndArray();
      usage(w, prompt_tokens(body), static_cast<long long>(pieces.size()));
      w.EndObject();
      events.write("data: " + std::string(b.GetString(), b.GetSize()) + "\n\n");
    }
    events.write("data: [DONE]\n\n");
    events.finish();
  }

  bool azure() const { return dialect_ == OpenAiDialect::azure; }

  OpenAiDialect dialect_;
};

}  // namespace

std::unique_ptr<Protocol> make_openai_protocol(OpenAiDialect dialect) {
  return std::make_unique<OpenAiProtocol>(dialect);
}

}  // namespace llmrt::mock
