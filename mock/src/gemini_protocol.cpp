// Google's Gemini API (generateContent and streamGenerateContent), as shared/wire/beyond.md
// describes it: every stream event (alt=sse) is a whole GenerateContentResponse with the next
// parts; without alt=sse the stream is a JSON array of them; errors are google.rpc statuses.
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include "json_string.h"
#include "llmrt/sdk/json.h"
#include "llmrt/sdk/json_writer.h"
#include "protocol.h"

namespace llmrt::mock {
namespace {

using json::JsonWriter;
// What the mock's replies sign their thoughts with (base64 of "mock thought signature").
constexpr std::string_view kSignature = "bW9jayB0aG91Z2h0IHNpZ25hdHVyZQ==";

// The google.rpc status word of an HTTP status
// (https://ai.google.dev/gemini-api/docs/troubleshooting).
std::string_view status_word(int status) {
  switch (status) {
    case 400:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 503:
      return "UNAVAILABLE";
    case 504:
      return "DEADLINE_EXCEEDED";
    default:
      return "INTERNAL";
  }
}

// {"error": {code, message, status}}. A plain 429 is a rate limit; error_code RESOURCE_EXHAUSTED
// asks for the quota message, API_KEY_INVALID for Gemini's answer to a bad key (a 400 whose
// details say so); any other error_code is the status word.
std::string error_body(const Scenario& s) {
  if (!s.error_body.empty()) return s.error_body;
  const bool bad_key = s.error_code == "API_KEY_INVALID";
  std::string message = "mock Gemini error for HTTP ";
  message += std::to_string(s.status);  // appended: GCC 12 -O3 warns (-Wrestrict) on "lit" + string
  if (s.status == 429) message = "Resource exhausted. Please try again later.";
  if (s.error_code == "RESOURCE_EXHAUSTED") {
    message = "You exceeded your current quota, please check your plan and billing details.";
  }
  if (bad_key) message = "API key not valid. Please pass a valid API key.";
  JsonWriter w;
  w.begin_object().key("error").begin_object().field("code", s.status).field("message", message);
  w.field("status", s.error_code.empty() || bad_key ? status_word(s.status) : s.error_code);
  if (bad_key) {
    w.key("details").begin_array().begin_object();
    w.field("@type", "type.googleapis.com/google.rpc.ErrorInfo").field("reason", s.error_code);
    w.field("domain", "googleapis.com").end_object().end_array();
  }
  return w.end_object().end_object().take();
}

// A 200 with an error code is a prompt blocked for that reason (promptFeedback.blockReason).
std::string_view blocked_reason(const Scenario& s) {
  return s.status == 200 ? std::string_view(s.error_code) : std::string_view();
}

// llmrt's finish reasons in Gemini's words; a Gemini word passes as it is.
std::string_view finish_word(const Scenario& s) {
  if (s.finish_reason == "stop" || s.finish_reason == "tool_calls") return "STOP";
  if (s.finish_reason == "length") return "MAX_TOKENS";
  if (s.finish_reason == "content_filter") return "SAFETY";
  return s.finish_reason;
}

// The text parts of `contents` and `systemInstruction`, in words: the mock's prompt tokens.
long long prompt_words(const rapidjson::Value& body) {
  long long words = 0;
  auto count = [&](const rapidjson::Value* content) {
    const rapidjson::Value* parts = content ? member(*content, "parts") : nullptr;
    if (parts == nullptr || !parts->IsArray()) return;
    for (const auto& part : parts->GetArray()) {
      const rapidjson::Value* text = member(part, "text");
      if (text == nullptr || !text->IsString()) continue;
      ++words;
      for (const char* p = text->GetString(); *p != '\0'; ++p) words += (*p == ' ');
    }
  };
  count(member(body, "systemInstruction"));
  if (const rapidjson::Value* contents = member(body, "contents");
      contents && contents->IsArray()) {
    for (const auto& c : contents->GetArray()) count(&c);
  }
  return words;
}

struct Counts {
  long long prompt = 0, output = 0, thoughts = 0;
};

void usage(JsonWriter& w, const Counts& c) {
  w.key("usageMetadata").begin_object().field("promptTokenCount", c.prompt);
  w.field("candidatesTokenCount", c.output);
  if (c.thoughts > 0) w.field("thoughtsTokenCount", c.thoughts);
  w.field("totalTokenCount", c.prompt + c.output + c.thoughts).end_object();
}

void function_call(JsonWriter& w, const MockToolCall& call, bool signed_part) {
  auto args = json::Document::try_parse(call.arguments);
  w.begin_object().key("functionCall").begin_object().field("name", call.name).key("args");
  w.raw(args && args->root().is_object() ? call.arguments : "{}").end_object();
  if (signed_part) w.field("thoughtSignature", kSignature);
  w.end_object();
}

// One GenerateContentResponse. `parts` writes the parts; `finish` the finish reason (none: "").
template <class Parts>
std::string reply_json(Parts&& parts, std::string_view finish, const Counts& counts) {
  JsonWriter w;
  w.begin_object().key("candidates").begin_array().begin_object();
  w.key("content").begin_object().key("parts").begin_array();
  parts(w);
  w.end_array().field("role", "model").end_object();
  if (!finish.empty()) w.field("finishReason", finish);
  w.field("index", 0).end_object().end_array();
  usage(w, counts);
  return w.field("modelVersion", "mock-gemini")
      .field("responseId", "mock-gemini-response")
      .end_object()
      .take();
}

std::string blocked(const Scenario& s, const Counts& counts) {
  JsonWriter w;
  w.begin_object().key("promptFeedback").begin_object().field("blockReason", blocked_reason(s));
  w.end_object();
  usage(w, {.prompt = counts.prompt});
  return w.field("modelVersion", "mock-gemini").end_object().take();
}

// The whole reply: thoughts, the text (signed when the reply has thoughts and no calls, as Gemini
// signs the last part), the calls (the first signed).
std::string whole(const Scenario& s, Counts counts) {
  if (!blocked_reason(s).empty()) return blocked(s, counts);
  Scenario r;
  r.content = s.reasoning;
  counts.output = static_cast<long long>(s.content_pieces().size());
  counts.thoughts = s.reasoning.empty() ? 0 : static_cast<long long>(r.content_pieces().size());
  return reply_json(
      [&](JsonWriter& w) {
        if (!s.reasoning.empty()) {
          w.begin_object().field("text", s.reasoning).field("thought", true).end_object();
        }
        w.begin_object().field("text", s.full_content());
        if (!s.reasoning.empty() && s.tool_calls.empty()) w.field("thoughtSignature", kSignature);
        w.end_object();
        for (std::size_t i = 0; i < s.tool_calls.size(); ++i)
          function_call(w, s.tool_calls[i], i == 0);
      },
      finish_word(s), counts);
}

std::string sse(const std::string& data) { return "data: " + data + "\r\n\r\n"; }

class GeminiProtocol final : public Protocol {
 public:
  // The plugin puts a parameter it does not know into generationConfig; other clients may send
  // the object at the top.
  const rapidjson::Value* mock_object(const rapidjson::Value& body) const override {
    const rapidjson::Value* config = member(body, "generationConfig");
    const rapidjson::Value* in_config = config ? member(*config, "mock") : nullptr;
    return in_config ? in_config : member(body, "mock");
  }

  void respond(const RecordedRequest& request, const rapidjson::Value& body, const Scenario& s,
               Poco::Net::HTTPServerResponse& response, Wire& wire) const override {
    if (reply_with_error(s, s.status == 200 ? std::string() : error_body(s), response)) return;
    const Poco::URI uri(request.uri);
    const bool stream = uri.getPath().ends_with(":streamGenerateContent") && !s.ignore_stream;
    const bool sse_wanted = uri.getRawQuery().find("alt=sse") != std::string::npos;
    const Counts counts{.prompt = prompt_words(body)};
    if (stream && sse_wanted) return respond_stream(s, counts, response, wire);
    std::string text = s.stream_error.empty() ? whole(s, counts) : error_object(s.stream_error);
    if (stream) text = "[" + text + "]";  // streamGenerateContent without alt=sse: an array
    response.setContentType("application/json");
    response.sendBuffer(text.data(), text.size());
  }

 private:
  static void respond_stream(const Scenario& s, Counts counts,
                             Poco::Net::HTTPServerResponse& response, Wire& wire) {
    response.setChunkedTransferEncoding(true);
    response.setContentType("text/event-stream");
    std::ostream& out = response.send();
    EventWriter events(out, s, wire);
    if (!blocked_reason(s).empty()) {
      events.write(sse(blocked(s, counts)));
      return events.finish();
    }
    Scenario r;
    r.content = s.reasoning;
    for (const std::string& piece :
         s.reasoning.empty() ? std::vector<std::string>{} : r.content_pieces()) {
      ++counts.thoughts;
      events.write(sse(response_text(piece, true, false, counts)));
    }
    const std::vector<std::string> pieces = s.content_pieces();
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      ++counts.output;
      // Gemini signs the last part of a reply without calls.
      const bool last_signed =
          i + 1 == pieces.size() && !s.reasoning.empty() && s.tool_calls.empty();
      events.write(sse(response_text(pieces[i], false, last_signed, counts)));
    }
    if (!s.stream_error.empty()) {
      events.write(sse(error_object(s.stream_error)));
      return events.finish();
    }
    if (!s.tool_calls.empty()) {
      events.write(sse(reply_json(
          [&](JsonWriter& w) {
            for (std::size_t i = 0; i < s.tool_calls.size(); ++i) {
              function_call(w, s.tool_calls[i], i == 0);
            }
          },
          "", counts)));
    }
    events.write(
        sse(reply_json([](JsonWriter& w) { w.begin_object().field("text", "").end_object(); },
                       finish_word(s), counts)));
    events.finish();
  }

  static std::string response_text(const std::string& text, bool thought, bool signed_part,
                                   const Counts& counts) {
    return reply_json(
        [&](JsonWriter& w) {
          w.begin_object().field("text", text);
          if (thought) w.field("thought", true);
          if (signed_part) w.field("thoughtSignature", kSignature);
          w.end_object();
        },
        "", counts);
  }
};

}  // namespace

std::unique_ptr<Protocol> make_gemini_protocol() { return std::make_unique<GeminiProtocol>(); }

}  // namespace llmrt::mock
