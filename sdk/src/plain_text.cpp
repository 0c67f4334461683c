#include "llmrt/sdk/plain_text.h"

#include <cctype>

namespace llmrt {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The bytes a UTF-8 sequence whose lead byte is `b` takes; 1 for anything that is no lead byte
// (ASCII, a continuation byte, an invalid byte: passed on as they are).
std::size_t sequence_length(unsigned char b) {
  if (b >= 0xF0 && b <= 0xF4) return 4;
  if (b >= 0xE0 && b <= 0xEF) return 3;
  if (b >= 0xC2 && b <= 0xDF) return 2;
  return 1;
}

// How many bytes at the end of `text` start a sequence that is not complete yet.
std::size_t unfinished_tail(std::string_view text) {
  const std::size_t look = text.size() < 3 ? text.size() : 3;
  for (std::size_t back = 1; back <= look; ++back) {
    const auto b = static_cast<unsigned char>(text[text.size() - back]);
    if ((b & 0xC0) == 0x80) continue;  // a continuation byte: its lead is further back
    return sequence_length(b) > back ? back : 0;
  }
  return 0;
}

}  // namespace

bool is_plain_text(const HttpHeaders& headers) {
  const std::string* type = find_header(headers, "content-type");
  if (type == nullptr) return false;
  std::string_view media = *type;
  media = trim(media.substr(0, media.find(';')));
  return iequals(media, "text/plain");
}

void PlainTextDecoder::feed(std::string_view bytes, std::vector<StreamEvent>& out) {
  if (bytes.empty()) return;
  std::string text = std::move(held_);
  held_.clear();
  text.append(bytes);
  const std::size_t tail = unfinished_tail(text);
  held_.assign(text, text.size() - tail, tail);
  text.resize(text.size() - tail);
  if (!text.empty()) out.emplace_back(ContentDelta{std::move(text)});
}

void PlainTextDecoder::finish(std::vector<StreamEvent>& out) {
  // A body cut inside a character ends with those bytes as they are: nothing is dropped.
  if (!held_.empty()) out.emplace_back(ContentDelta{std::move(held_)});
  held_.clear();
  out.emplace_back(FinishEvent{FinishReason::stop, "stop"});
  out.emplace_back(DoneEvent{});
}

}  // namespace llmrt
