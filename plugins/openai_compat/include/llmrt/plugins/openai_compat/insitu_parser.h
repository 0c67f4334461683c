#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/plugins/openai_compat/bounded_json.h"

namespace llmrt::plugins::json {

// Parses one stream event after another with no allocation in the common case and no growth
// over a long stream. A RapidJSON Document reused across parses keeps every allocation in its
// pool until destroyed (a 100,000-chunk stream would grow by tens of MiB); here each parse
// starts from cleared pools backed by fixed buffers, and parses a private copy of the text in
// place (RapidJSON's fastest mode). The document and its strings live until the next parse.
// Bounded like json::parse: no deeper than kMaxJsonDepth, numbers beyond a double clamped.
class InsituParser {
 public:
  // Values and the parse stack both come from pools over this object's own buffers.
  using Document = rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                                              rapidjson::MemoryPoolAllocator<>>;

  InsituParser() = default;
  InsituParser(const InsituParser&) = delete;
  InsituParser& operator=(const InsituParser&) = delete;

  // On failure the document is null.
  ParseStatus parse(std::string_view text) {
    ParseStatus status = parse_copy(text);
    if (status.code != rapidjson::kParseErrorNumberTooBig) return status;
    // The failed parse wrote into the copy: start again from the text, with every number
    // found too large so far rewritten.
    clamped_.clear();
    while (status.code == rapidjson::kParseErrorNumberTooBig &&
           clamped_.size() < static_cast<std::size_t>(kMaxClampedNumbers)) {
      clamped_.push_back(status.offset);
      text_.assign(text);
      for (std::size_t at : clamped_) {
        if (!clamp_number_at(text_, at)) return status;
      }
      status = parse_in_place();
    }
    return status;
  }

  const Document& document() const { return *doc_; }

 private:
  ParseStatus parse_copy(std::string_view text) {
    text_.assign(text);
    return parse_in_place();
  }

  ParseStatus parse_in_place() {
    doc_.reset();
    values_.Clear();
    stack_.Clear();
    doc_.emplace(&values_, kStackCapacity, &stack_);
    rapidjson::InsituStringStream stream(text_.data());
    return parse_stream<rapidjson::kParseInsituFlag>(*doc_, stream, &stack_);
  }

  // Enough for a chat chunk of a few hundred bytes without touching the heap.
  static constexpr std::size_t kValueBytes = std::size_t{16} << 10;
  static constexpr std::size_t kStackBytes = std::size_t{8} << 10;
  // Well below kStackBytes: the pool keeps a header in its buffer, and a first stack block as
  // large as the buffer would go to the heap on every parse.
  static constexpr std::size_t kStackCapacity = 1024;

  std::string text_;
  std::vector<std::size_t> clamped_;
  char value_buffer_[kValueBytes];
  char stack_buffer_[kStackBytes];
  rapidjson::MemoryPoolAllocator<> values_{value_buffer_, sizeof value_buffer_};
  rapidjson::MemoryPoolAllocator<> stack_{stack_buffer_, sizeof stack_buffer_};
  std::optional<Document> doc_;
};

}  // namespace llmrt::plugins::json
