#pragma once

// Parsing JSON that came from a server: never deeper than kMaxJsonDepth (RapidJSON's reader
// recurses once per level), and a number too large for a double (`1e400`) does not cost the
// whole reply.

#include <rapidjson/document.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "llmrt/sdk/json_limits.h"

namespace llmrt::plugins::json {

// What a parse found wrong; ok() when nothing.
struct ParseStatus {
  rapidjson::ParseErrorCode code = rapidjson::kParseErrorNone;
  std::size_t offset = 0;
  bool too_deep = false;

  bool ok() const { return code == rapidjson::kParseErrorNone; }
  // "nested deeper than 128 levels at offset 42", "Invalid value. at offset 3".
  std::string describe() const;
};

// Forwards a reader's events to `Next` and refuses to go deeper than kMaxJsonDepth. The reader
// calls StartObject / StartArray before it recurses into the value, so refusing there bounds
// its recursion.
template <typename Next>
class DepthLimit {
 public:
  using Ch = char;
  explicit DepthLimit(Next& next) : next_(next) {}

  bool too_deep() const { return too_deep_; }

  bool Null() { return next_.Null(); }
  bool Bool(bool b) { return next_.Bool(b); }
  bool Int(int i) { return next_.Int(i); }
  bool Uint(unsigned u) { return next_.Uint(u); }
  bool Int64(int64_t i) { return next_.Int64(i); }
  bool Uint64(uint64_t u) { return next_.Uint64(u); }
  bool Double(double d) { return next_.Double(d); }
  bool RawNumber(const Ch* s, rapidjson::SizeType n, bool copy) {
    return next_.RawNumber(s, n, copy);
  }
  bool String(const Ch* s, rapidjson::SizeType n, bool copy) { return next_.String(s, n, copy); }
  bool Key(const Ch* s, rapidjson::SizeType n, bool copy) { return next_.Key(s, n, copy); }
  bool StartObject() { return enter() && next_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return next_.EndObject(members);
  }
  bool StartArray() { return enter() && next_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return next_.EndArray(elements);
  }

 private:
  bool enter() {
    if (depth_ == kMaxJsonDepth) {
      too_deep_ = true;
      return false;
    }
    ++depth_;
    return true;
  }

  Next& next_;
  std::size_t depth_ = 0;
  bool too_deep_ = false;
};

// One parse of `stream` into `doc` through a DepthLimit. On failure `doc` is left as it was.
template <unsigned Flags, typename Document, typename Stream, typename StackAllocator>
ParseStatus parse_stream(Document& doc, Stream& stream, StackAllocator* stack) {
  struct Generator {
    Stream& stream;
    StackAllocator* stack;
    ParseStatus status;
    bool operator()(Document& handler) {
      rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, StackAllocator> reader(stack);
      DepthLimit<Document> limited(handler);
      rapidjson::ParseResult result = reader.template Parse<Flags>(stream, limited);
      if (!result.IsError()) return true;
      status.code = result.Code();
      status.offset = result.Offset();
      status.too_deep = limited.too_deep();
      return false;
    }
  } generator{stream, stack, {}};
  doc.Populate(generator);
  return generator.status;
}

// Rewrites the number that starts at `offset` of `text` — one RapidJSON refused as too large
// for a double — as ±1e308 padded with spaces, so that the rest of the JSON can still be read.
// Returns false when there is no such number to rewrite.
bool clamp_number_at(std::string& text, std::size_t offset);

// How many too-large numbers one text may carry before it is refused after all: each costs a
// parse of the whole text.
inline constexpr int kMaxClampedNumbers = 16;

// Parses `text` into `doc` (strings copied), bounded as above. A number beyond a double's range
// reads as ±1e308: integer readers (json_access.h) then see a value out of their range.
template <typename Document>
ParseStatus parse(Document& doc, std::string_view text) {
  auto once = [&doc](std::string_view t) {
    rapidjson::MemoryStream stream(t.data(), t.size());
    return parse_stream<rapidjson::kParseDefaultFlags>(
        doc, stream, static_cast<rapidjson::CrtAllocator*>(nullptr));
  };
  ParseStatus status = once(text);
  if (status.code != rapidjson::kParseErrorNumberTooBig) return status;
  std::string clamped(text);
  for (int i = 0; i < kMaxClampedNumbers && status.code == rapidjson::kParseErrorNumberTooBig &&
                  clamp_number_at(clamped, status.offset);
       ++i) {
    status = once(clamped);
  }
  return status;
}

}  // namespace llmrt::plugins::json
