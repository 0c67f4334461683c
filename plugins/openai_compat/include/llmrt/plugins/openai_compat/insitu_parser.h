#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

namespace llmrt::plugins::json {

// Parses one stream event after another with no allocation in the common case and no growth
// over a long stream. A RapidJSON Document reused across parses keeps every allocation in its
// pool until destroyed (a 100,000-chunk stream would grow by tens of MiB); here each parse
// starts from cleared pools backed by fixed buffers, and parses a private copy of the text in
// place (RapidJSON's fastest mode). The document and its strings live until the next parse.
class InsituParser {
 public:
  // Values and the parse stack both come from pools over this object's own buffers.
  using Document = rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                                              rapidjson::MemoryPoolAllocator<>>;

  InsituParser() = default;
  InsituParser(const InsituParser&) = delete;
  InsituParser& operator=(const InsituParser&) = delete;

  const Document& parse(std::string_view text) {
    text_.assign(text);
    return parse_in_place(text_.data(), text_.size());
  }

  // Parses `size` bytes at `text` where they are, writing a NUL at text[size]: the caller
  // owns that byte too (an SseEvent's writable data has it).
  const Document& parse_in_place(char* text, std::size_t size) {
    doc_.reset();
    values_.Clear();
    stack_.Clear();
    text[size] = '\0';
    doc_.emplace(&values_, kStackCapacity, &stack_);
    doc_->ParseInsitu(text);
    return *doc_;
  }

 private:
  // Enough for a chat chunk of a few hundred bytes without touching the heap.
  static constexpr std::size_t kValueBytes = std::size_t{16} << 10;
  static constexpr std::size_t kStackBytes = std::size_t{8} << 10;
  // Well below kStackBytes: the pool keeps a header in its buffer, and a first stack block as
  // large as the buffer would go to the heap on every parse.
  static constexpr std::size_t kStackCapacity = 1024;

  std::string text_;
  char value_buffer_[kValueBytes];
  char stack_buffer_[kStackBytes];
  rapidjson::MemoryPoolAllocator<> values_{value_buffer_, sizeof value_buffer_};
  rapidjson::MemoryPoolAllocator<> stack_{stack_buffer_, sizeof stack_buffer_};
  std::optional<Document> doc_;
};

}  // namespace llmrt::plugins::json
