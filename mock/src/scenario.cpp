#include "llmrt/mock/scenario.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace llmrt::mock {
namespace {

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t space = text.find(' ', start);
    std::size_t end = space == std::string::npos ? text.size() : space + 1;
    words.push_back(text.substr(start, end - start));
    start = end;
  }
  return words;
}

[[noreturn]] void wrong(std::string_view member, const char* expected) {
  throw std::invalid_argument("mock." + std::string(member) + " must be " + expected);
}

int integer(std::string_view name, const rapidjson::Value& v) {
  if (!v.IsInt()) wrong(name, "an integer");
  return v.GetInt();
}

// An integer from `low` up, or -1 where -1 means "never" or "until fault_limit_ms".
int at_least(std::string_view name, const rapidjson::Value& v, int low, const char* expected) {
  int n = integer(name, v);
  if (n < low) wrong(name, expected);
  return n;
}

std::chrono::milliseconds millis(std::string_view name, const rapidjson::Value& v) {
  return std::chrono::milliseconds(at_least(name, v, 0, "a non-negative integer (ms)"));
}

std::string text(std::string_view name, const rapidjson::Value& v) {
  if (!v.IsString()) wrong(name, "a string");
  return {v.GetString(), v.GetStringLength()};
}

bool flag(std::string_view name, const rapidjson::Value& v) {
  if (!v.IsBool()) wrong(name, "true or false");
  return v.GetBool();
}

HttpHeaders headers(std::string_view name, const rapidjson::Value& v) {
  HttpHeaders out;
  if (!v.IsObject()) wrong(name, "an object of strings");
  for (const auto& h : v.GetObject()) {
    if (!h.value.IsString()) wrong(name, "an object of strings");
    out.emplace_back(h.name.GetString(), h.value.GetString());
  }
  return out;
}

std::vector<MockToolCall> tool_calls(std::string_view name, const rapidjson::Value& v) {
  constexpr const char* kExpected = R"(an array of {"id","name","arguments"} strings)";
  if (!v.IsArray()) wrong(name, kExpected);
  std::vector<MockToolCall> calls;
  for (const auto& c : v.GetArray()) {
    if (!c.IsObject()) wrong(name, kExpected);
    MockToolCall call;
    for (auto [field, member] : {std::pair{"id", &call.id}, std::pair{"name", &call.name},
                                 std::pair{"arguments", &call.arguments}}) {
      auto it = c.FindMember(field);
      if (it == c.MemberEnd()) continue;
      if (!it->value.IsString()) wrong(name, kExpected);
      member->assign(it->value.GetString(), it->value.GetStringLength());
    }
    calls.push_back(std::move(call));
  }
  return calls;
}

using Setter = void (*)(Scenario&, std::string_view name, const rapidjson::Value&);

struct Override {
  OverrideDoc doc;
  Setter set;
};

// Every member of the "mock" object: the one list that applies them and documents them
// (`llmrt mock-server --help`), so that none can be added without its description.
const std::vector<Override>& overrides() {
  static const std::vector<Override> kOverrides{
      {{"content", "TEXT", "the reply text (streamed one word per chunk)"},
       [](Scenario& s, auto n, const auto& v) { s.content = text(n, v); }},
      {{"chunks", "N", "stream exactly N content chunks, the words repeated (0: one per word)"},
       [](Scenario& s, auto n, const auto& v) { s.chunks = at_least(n, v, 0, ">= 0"); }},
      {{"reasoning", "TEXT", "reasoning streamed before the content"},
       [](Scenario& s, auto n, const auto& v) { s.reasoning = text(n, v); }},
      {{"tool_calls", "[{id,name,arguments}]",
        "tool calls after the content (OpenAI, Anthropic, Gemini, Ollama protocols)"},
       [](Scenario& s, auto n, const auto& v) { s.tool_calls = tool_calls(n, v); }},
      {{"finish_reason", "TEXT", "the finish reason (default stop)"},
       [](Scenario& s, auto n, const auto& v) { s.finish_reason = text(n, v); }},
      {{"cache_write_tokens", "N", "prompt tokens written to the cache (Anthropic usage)"},
       [](Scenario& s, auto n, const auto& v) {
         s.cache_write_tokens = at_least(n, v, 0, ">= 0");
       }},
      {{"cache_read_tokens", "N", "prompt tokens read from the cache (Anthropic usage)"},
       [](Scenario& s, auto n, const auto& v) { s.cache_read_tokens = at_least(n, v, 0, ">= 0"); }},
      {{"delay_ms", "MS", "pause between streamed chunks"},
       [](Scenario& s, auto n, const auto& v) { s.chunk_delay = millis(n, v); }},
      {{"events_per_flush", "N", "stream events packed into one write"},
       [](Scenario& s, auto n, const auto& v) { s.events_per_flush = at_least(n, v, 1, ">= 1"); }},
      {{"status", "CODE", "answer with this HTTP status and the provider's error body"},
       [](Scenario& s, auto n, const auto& v) {
         s.status = integer(n, v);
         if (s.status < 200 || s.status > 599) wrong(n, "an HTTP status from 200 to 599");
       }},
      {{"error_code", "TEXT",
        "the provider's error code in that body (Gemini, status 200: the prompt's blockReason)"},
       [](Scenario& s, auto n, const auto& v) { s.error_code = text(n, v); }},
      {{"error_body", "TEXT", "the error body itself, instead of the provider's"},
       [](Scenario& s, auto n, const auto& v) { s.error_body = text(n, v); }},
      {{"headers", "{NAME:VALUE}", "extra response headers (e.g. Retry-After)"},
       [](Scenario& s, auto n, const auto& v) {
         for (auto& h : headers(n, v)) s.headers.push_back(std::move(h));
       }},
      {{"stream_error", "JSON", "an error object sent in the stream after the content"},
       [](Scenario& s, auto n, const auto& v) { s.stream_error = text(n, v); }},
      {{"ignore_stream", "BOOL", "answer a stream request with a whole JSON reply"},
       [](Scenario& s, auto n, const auto& v) { s.ignore_stream = flag(n, v); }},
      {{"stall_ms", "MS", "wait this long before sending the headers"},
       [](Scenario& s, auto n, const auto& v) { s.stall_before_headers = millis(n, v); }},
      {{"cut_after", "N", "close the connection after N stream events (-1: never)"},
       [](Scenario& s, auto n, const auto& v) {
         s.cut_after_events = at_least(n, v, -1, ">= -1 (-1: never)");
       }},
      {{"malformed_after", "N", "send an event that is not JSON after N events (-1: never)"},
       [](Scenario& s, auto n, const auto& v) {
         s.malformed_after_events = at_least(n, v, -1, ">= -1 (-1: never)");
       }},
      {{"endless_line", "BOOL", "stream one line that never ends (1 GiB at most)"},
       [](Scenario& s, auto n, const auto& v) { s.endless_line = flag(n, v); }},
      {{"fault_limit_ms", "MS", "how long the faults below last at most (default 60000)"},
       [](Scenario& s, auto n, const auto& v) { s.fault_limit = millis(n, v); }},
      {{"header_byte_ms", "MS", "send the status line and headers one byte per MS"},
       [](Scenario& s, auto n, const auto& v) { s.header_byte_delay = millis(n, v); }},
      {{"interim", "N", "interim (1xx) responses before the reply (-1: until the limit)"},
       [](Scenario& s, auto n, const auto& v) {
         s.interim_responses = at_least(n, v, -1, ">= -1 (-1: until fault_limit_ms)");
       }},
      {{"interim_status", "1XX", "their status (default 100; 103 carries a Link header)"},
       [](Scenario& s, auto n, const auto& v) {
         s.interim_status = integer(n, v);
         if (s.interim_status < 100 || s.interim_status > 199) wrong(n, "1xx");
       }},
      {{"interim_ms", "MS", "pause between interim responses"},
       [](Scenario& s, auto n, const auto& v) { s.interim_delay = millis(n, v); }},
      {{"chunk_size_byte_ms", "MS", "send each chunk-size line one byte per MS"},
       [](Scenario& s, auto n, const auto& v) { s.chunk_size_byte_delay = millis(n, v); }},
      {{"trailers", "N", "trailer lines after the last chunk (-1: until the limit)"},
       [](Scenario& s, auto n, const auto& v) {
         s.trailer_lines = at_least(n, v, -1, ">= -1 (-1: until fault_limit_ms)");
       }},
      {{"trailer_ms", "MS", "pause between trailer lines"},
       [](Scenario& s, auto n, const auto& v) { s.trailer_delay = millis(n, v); }},
      {{"hold_ms", "MS", "keep the body open this long after its last event"},
       [](Scenario& s, auto n, const auto& v) { s.hold_after_body = millis(n, v); }},
      {{"ping_ms", "MS", "meanwhile send an SSE comment every MS"},
       [](Scenario& s, auto n, const auto& v) { s.ping_interval = millis(n, v); }},
      {{"stray_bytes", "TEXT", "bytes nobody asked for after a complete reply"},
       [](Scenario& s, auto n, const auto& v) { s.stray_bytes = text(n, v); }},
      {{"stray_reply", "TEXT", "then a whole second reply with this content"},
       [](Scenario& s, auto n, const auto& v) { s.stray_reply = text(n, v); }},
      {{"stray_ms", "MS", "pause before those stray bytes"},
       [](Scenario& s, auto n, const auto& v) { s.stray_delay = millis(n, v); }},
      {{"close_after_reply", "BOOL", "close a keep-alive connection after the reply"},
       [](Scenario& s, auto n, const auto& v) { s.close_after_reply = flag(n, v); }},
      {{"content_encoding", "gzip|deflate", "send the body in this content coding, unasked"},
       [](Scenario& s, auto n, const auto& v) {
         s.content_encoding = text(n, v);
         if (s.content_encoding != "gzip" && s.content_encoding != "deflate") {
           wrong(n, "\"gzip\" or \"deflate\"");
         }
       }},
  };
  return kOverrides;
}

}  // namespace

std::vector<std::string> Scenario::content_pieces() const {
  std::vector<std::string> words = words_of(content);
  if (chunks <= 0 || words.empty()) return words;
  std::vector<std::string> pieces;
  pieces.reserve(static_cast<std::size_t>(chunks));
  for (int i = 0; i < chunks; ++i)
    pieces.push_back(words[static_cast<std::size_t>(i) % words.size()]);
  return pieces;
}

std::string Scenario::full_content() const {
  std::string all;
  for (const std::string& piece : content_pieces()) all += piece;
  return all;
}

bool Scenario::written_raw() const {
  return header_byte_delay.count() > 0 || interim_responses != 0 ||
         chunk_size_byte_delay.count() > 0 || trailer_lines != 0 || hold_after_body.count() > 0 ||
         !stray_bytes.empty() || !stray_reply.empty() || close_after_reply ||
         !content_encoding.empty() || status == 204 || status == 304;
}

const std::vector<OverrideDoc>& override_docs() {
  static const std::vector<OverrideDoc> kDocs = [] {
    std::vector<OverrideDoc> docs;
    for (const Override& o : overrides()) docs.push_back(o.doc);
    return docs;
  }();
  return kDocs;
}

void apply_overrides(Scenario& s, std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    throw std::invalid_argument(
        "mock is not valid JSON: " + std::string(rapidjson::GetParseError_En(doc.GetParseError())) +
        " (at byte " + std::to_string(doc.GetErrorOffset()) + ")");
  }
  if (!doc.IsObject()) throw std::invalid_argument("mock must be a JSON object");
  for (const auto& m : doc.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    const auto& all = overrides();
    auto it =
        std::find_if(all.begin(), all.end(), [&](const Override& o) { return o.doc.name == key; });
    if (it == all.end()) {
      std::string known;
      for (const Override& o : all) known += (known.empty() ? "" : ", ") + std::string(o.doc.name);
      throw std::invalid_argument("mock." + std::string(key) +
                                  " is not a mock override (known: " + known + ")");
    }
    it->set(s, key, m.value);
  }
}

}  // namespace llmrt::mock
