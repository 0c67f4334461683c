#include "llmrt/mock/scenario.h"

#include <rapidjson/document.h>

#include <stdexcept>

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

[[noreturn]] void wrong(const char* member, const char* expected) {
  throw std::invalid_argument(std::string("mock.") + member + " must be " + expected);
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
         !stray_bytes.empty() || !stray_reply.empty() || close_after_reply || status == 204 ||
         status == 304;
}

void apply_overrides(Scenario& s, std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) throw std::invalid_argument("mock must be an object");
  for (const auto& m : doc.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    const rapidjson::Value& v = m.value;
    auto text = [&](std::string& field) {
      if (!v.IsString()) wrong(m.name.GetString(), "a string");
      field.assign(v.GetString(), v.GetStringLength());
    };
    auto integer = [&]() {
      if (!v.IsInt()) wrong(m.name.GetString(), "an integer");
      return v.GetInt();
    };
    if (key == "chunks") {
      s.chunks = integer();
    } else if (key == "content") {
      text(s.content);
    } else if (key == "reasoning") {
      text(s.reasoning);
    } else if (key == "finish_reason") {
      text(s.finish_reason);
    } else if (key == "status") {
      s.status = integer();
    } else if (key == "error_code") {
      text(s.error_code);
    } else if (key == "error_body") {
      text(s.error_body);
    } else if (key == "stream_error") {
      text(s.stream_error);
    } else if (key == "delay_ms") {
      s.chunk_delay = std::chrono::milliseconds(integer());
    } else if (key == "events_per_flush") {
      s.events_per_flush = std::max(1, integer());
    } else if (key == "stall_ms") {
      s.stall_before_headers = std::chrono::milliseconds(integer());
    } else if (key == "cut_after") {
      s.cut_after_events = integer();
    } else if (key == "malformed_after") {
      s.malformed_after_events = integer();
    } else if (key == "endless_line") {
      if (!v.IsBool()) wrong(m.name.GetString(), "true or false");
      s.endless_line = v.GetBool();
    } else if (key == "ignore_stream") {
      if (!v.IsBool()) wrong(m.name.GetString(), "true or false");
      s.ignore_stream = v.GetBool();
    } else if (key == "fault_limit_ms") {
      s.fault_limit = std::chrono::milliseconds(integer());
    } else if (key == "header_byte_ms") {
      s.header_byte_delay = std::chrono::milliseconds(integer());
    } else if (key == "interim") {
      s.interim_responses = integer();
    } else if (key == "interim_status") {
      s.interim_status = integer();
      if (s.interim_status < 100 || s.interim_status > 199) wrong("interim_status", "1xx");
    } else if (key == "interim_ms") {
      s.interim_delay = std::chrono::milliseconds(integer());
    } else if (key == "chunk_size_byte_ms") {
      s.chunk_size_byte_delay = std::chrono::milliseconds(integer());
    } else if (key == "trailers") {
      s.trailer_lines = integer();
    } else if (key == "trailer_ms") {
      s.trailer_delay = std::chrono::milliseconds(integer());
    } else if (key == "hold_ms") {
      s.hold_after_body = std::chrono::milliseconds(integer());
    } else if (key == "ping_ms") {
      s.ping_interval = std::chrono::milliseconds(integer());
    } else if (key == "stray_bytes") {
      text(s.stray_bytes);
    } else if (key == "stray_reply") {
      text(s.stray_reply);
    } else if (key == "stray_ms") {
      s.stray_delay = std::chrono::milliseconds(integer());
    } else if (key == "close_after_reply") {
      if (!v.IsBool()) wrong(m.name.GetString(), "true or false");
      s.close_after_reply = v.GetBool();
    } else if (key == "headers") {
      if (!v.IsObject()) wrong(m.name.GetString(), "an object of strings");
      for (const auto& h : v.GetObject()) {
        if (!h.value.IsString()) wrong(m.name.GetString(), "an object of strings");
        s.headers.emplace_back(h.name.GetString(), h.value.GetString());
      }
    }
  }
}

}  // namespace llmrt::mock
