// DashScope's native text generation, as shared/wire/dashscope.md describes it.
#include <Poco/Net/HTTPResponse.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "json_string.h"
#include "protocol.h"

namespace llmrt::mock {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
constexpr const char* kRequestId = "mock-dashscope-request";

std::string default_code(int status) {
  switch (status) {
    case 400:
      return "InvalidParameter";
    case 401:
      return "InvalidApiKey";
    case 403:
      return "AccessDenied";
    case 408:
      return "RequestTimeOut";
    case 429:
      return "Throttling.RateQuota";
    default:
      return "InternalError";
  }
}

std::string error_body(const Scenario& s) {
  if (!s.error_body.empty()) return s.error_body;
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("code");
  str(w, s.error_code.empty() ? default_code(s.status) : s.error_code);
  w.Key("message");
  str(w, "mock DashScope error for HTTP " + std::to_string(s.status));
  w.Key("request_id");
  w.String(kRequestId);
  w.EndObject();
  return b.GetString();
}

// One result object: output.choices[0] with the message and finish reason, and usage.
std::string result(std::string_view content, std::string_view reasoning,
                   std::string_view finish_reason, long long input_tokens,
                   long long output_tokens) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("output");
  w.StartObject();
  w.Key("choices");
  w.StartArray();
  w.StartObject();
  w.Key("message");
  w.StartObject();
  w.Key("content");
  str(w, content);
  if (!reasoning.empty()) {
    w.Key("reasoning_content");
    str(w, reasoning);
  }
  w.Key("role");
  w.String("assistant");
  w.EndObject();
  w.Key("finish_reason");
  str(w, finish_reason);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  w.Key("usage");
  w.StartObject();
  w.Key("input_tokens");
  w.Int64(input_tokens);
  w.Key("output_tokens");
  w.Int64(output_tokens);
  w.Key("total_tokens");
  w.Int64(input_tokens + output_tokens);
  w.EndObject();
  w.Key("request_id");
  w.String(kRequestId);
  w.EndObject();
  return {b.GetString(), b.GetSize()};
}

std::string sse(int id, std::string_view type, int status, std::string_view data) {
  std::string event = "id:" + std::to_string(id) + "\nevent:" + std::string(type) +
                      "\n:HTTP_STATUS/" + std::to_string(status) + "\ndata:";
  event.append(data);
  event += "\n\n";
  return event;
}

class DashScopeProtocol final : public Protocol {
 public:
  const rapidjson::Value* mock_object(const rapidjson::Value& body) const override {
    const rapidjson::Value* parameters = member(body, "parameters");
    return parameters == nullptr ? nullptr : member(*parameters, "mock");
  }

  void respond(const RecordedRequest& request, const rapidjson::Value& body, const Scenario& s,
               Poco::Net::HTTPServerResponse& response, Wire& wire) const override {
    if (reply_with_error(s, s.status == 200 ? std::string() : error_body(s), response)) return;
    const rapidjson::Value* input = member(body, "input");
    long long prompt = count_prompt_words(input ? member(*input, "messages") : nullptr);
    const std::string* sse_header = find_header(request.headers, "X-DashScope-SSE");
    if (sse_header != nullptr && *sse_header == "enable" && !s.ignore_stream) {
      const rapidjson::Value* parameters = member(body, "parameters");
      const rapidjson::Value* inc =
          parameters ? member(*parameters, "incremental_output") : nullptr;
      respond_stream(s, prompt, inc != nullptr && inc->IsBool() && inc->GetBool(), response, wire);
      return;
    }
    std::string text = s.stream_error.empty()
                           ? result(s.full_content(), s.reasoning, s.finish_reason, prompt,
                                    static_cast<long long>(s.content_pieces().size()))
                           : s.stream_error;  // a 200 whose body is an error object
    response.setContentType("application/json");
    response.sendBuffer(text.data(), text.size());
  }

 private:
  static void respond_stream(const Scenario& s, long long prompt, bool incremental,
                             Poco::Net::HTTPServerResponse& response, Wire& wire) {
    response.setChunkedTransferEncoding(true);
    response.setContentType("text/event-stream;charset=UTF-8");
    std::ostream& out = response.send();
    EventWriter events(out, s, wire);
    int id = 0;
    long long produced = 0;
    std::string reasoning_so_far;
    if (!s.reasoning.empty()) {
      Scenario r;
      r.content = s.reasoning;
      for (const std::string& piece : r.content_pieces()) {
        reasoning_so_far += piece;
        events.write(
            sse(++id, "result", 200,
                result("", incremental ? piece : reasoning_so_far, "null", prompt, ++produced)));
      }
    }
    std::string so_far;
    for (const std::string& piece : s.content_pieces()) {
      so_far += piece;
      events.write(sse(++id, "result", 200,
                       result(incremental ? piece : so_far, incremental ? "" : reasoning_so_far,
                              "null", prompt, ++produced)));
    }
    if (!s.stream_error.empty()) {
      events.write(sse(++id, "error", 500, s.stream_error));
    } else {
      events.write(sse(++id, "result", 200,
                       result(incremental ? "" : so_far, incremental ? "" : reasoning_so_far,
                              s.finish_reason, prompt, produced)));
    }
    events.finish();
  }
};

}  // namespace

std::unique_ptr<Protocol> make_dashscope_protocol() {
  return std::make_unique<DashScopeProtocol>();
}

}  // namespace llmrt::mock
