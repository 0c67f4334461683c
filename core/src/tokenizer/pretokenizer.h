#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace llmrt::core::tokenizer {

// Splits text into the pieces BPE runs on, with an encoding's pre-tokenisation regex compiled
// by PCRE2 (UTF, Unicode properties, JIT). Thread-safe: matching state lives in each Cursor.
class Pretokenizer {
 public:
  // `pattern` is written as tiktoken writes it (Rust regex syntax); see to_pcre2_pattern().
  // Throws Error (bad_request) with PCRE2's message and the offset when it does not compile.
  explicit Pretokenizer(std::string_view pattern);
  ~Pretokenizer();
  Pretokenizer(const Pretokenizer&) = delete;
  Pretokenizer& operator=(const Pretokenizer&) = delete;

  // The pieces of one valid UTF-8 text, in order. Like tiktoken's find_iter, text between
  // matches (none, for the shipped patterns) belongs to no piece.
  class Cursor {
   public:
    Cursor(const Pretokenizer& pretokenizer, std::string_view text);
    ~Cursor();
    Cursor(const Cursor&) = delete;
    Cursor& operator=(const Cursor&) = delete;
    // False at the end. Throws Error (bad_request) if PCRE2 gives up (a resource limit).
    bool next(std::string_view& piece);

   private:
    const Pretokenizer& owner_;
    std::string_view text_;
    std::size_t offset_ = 0;
    struct MatchData;
    std::unique_ptr<MatchData> match_;
  };

 private:
  struct Compiled;
  std::unique_ptr<Compiled> compiled_;
};

// tiktoken's pattern in PCRE2's syntax, meaning the same characters as tiktoken's regex engine
// (the Rust regex crate, Unicode 16.0.0):
// - its `\s` is Unicode White_Space, while PCRE2's also matches U+180E: White_Space is spelled out;
// - each `\p{X}` gains the characters Unicode assigned to X after PCRE2's tables were made.
std::string to_pcre2_pattern(std::string_view rust_pattern);

}  // namespace llmrt::core::tokenizer
