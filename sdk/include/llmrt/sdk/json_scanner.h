#pragma once

// A forward-only pass over one JSON text, for a plugin's hot path (a stream's chunks, thousands
// a second): it hands out the members the plugin asks for and skips the rest without building
// a tree. It accepts exactly what json::Document accepts (json.h: the same grammar, depth and
// size limits, string decoding and integer reading) but only says *that* a text is bad — ok()
// turns false and every later read fails — not where: on failure, parse the text with Document
// for the error message.
//
//   json::Scanner s(text);
//   std::string_view name;
//   if (!s.enter_object()) return false;
//   while (s.next_member(name)) {
//     if (name == "content") {
//       content = s.string().value_or("");  // a value of another type is skipped
//     } else {
//       s.skip();
//     }
//   }
//   if (!s.finish()) return false;  // malformed, or text after the value
//
// Repeated member names are all handed out, in order: a reader that keeps the last one reads
// as Document's lookups do.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "llmrt/sdk/json.h"
#include "llmrt/sdk/json_nesting.h"

namespace llmrt::json {

class Scanner {
 public:
  Scanner() = default;
  explicit Scanner(std::string_view text, const ParseLimits& limits = {}) { reset(text, limits); }
  // Starts over on another text, keeping the buffers.
  void reset(std::string_view text, const ParseLimits& limits = {});

  // The type of the value that comes next; absent at the end of an array or object, after a
  // failure, or where no value can start.
  [[gnu::always_inline]] Type peek() noexcept {
    if (failed_) return Type::absent;
    skip_whitespace();
    return p_ == end_ ? Type::absent : type_at(*p_);
  }

  // Steps into the object that comes next (false if none: the scanner then fails).
  bool enter_object() noexcept { return open('{'); }
  // The next member of the object being read: its name (escapes decoded, valid until the next
  // member's), the scanner then at its value, which must be read or skipped before the next
  // call. False when the object has ended (the scanner is then after it) or on failure.
  bool next_member(std::string_view& name) {
    if (failed_) return false;
    skip_whitespace();
    if (p_ == end_) return fail();
    if (need_comma_) {
      if (*p_ != ',') return close('}');
      ++p_;
      skip_whitespace();
      // After a comma a member must follow: `{"a":1,}` is refused.
      if (p_ == end_ || *p_ != '"') return fail();
    } else if (*p_ != '"') {
      return close('}');  // `{}`, or no member where one must start
    }
    if (!read_string(name_buffer_, name)) return false;
    skip_whitespace();
    if (p_ == end_ || *p_ != ':') return fail();
    ++p_;
    need_comma_ = false;
    return true;
  }
  bool enter_array() noexcept { return open('['); }
  // Whether another item of the array being read comes next (false: the array has ended).
  bool next_item() noexcept {
    if (failed_) return false;
    skip_whitespace();
    if (p_ == end_) return fail();
    if (*p_ == ']') return close(']');
    if (need_comma_) {
      if (*p_ != ',') return fail();
      ++p_;
      skip_whitespace();
      if (p_ < end_ && *p_ == ']') return fail();  // `[1,]`
    }
    need_comma_ = false;
    return true;
  }

  // The string that comes next, escapes decoded (valid until the next string is read). A
  // value of any other type is skipped and gives null.
  std::optional<std::string_view> string() {
    if (peek() != Type::string) {
      skip_value();
      return std::nullopt;
    }
    std::string_view out;
    if (!read_string(value_buffer_, out)) return std::nullopt;
    need_comma_ = true;
    return out;
  }
  // The number that comes next as a whole 64-bit integer, as Value::as_int64 reads it; null
  // (the value skipped) for any other number or type.
  std::optional<long long> int64();
  // The value that comes next, whatever it is, checked but not kept.
  bool skip() { return peek() == Type::string ? string().has_value() : skip_value(); }
  // True when the root value has been read whole and only whitespace follows it.
  bool finish() noexcept;

  bool ok() const noexcept { return !failed_; }
  // How far into the text the scanner is: after peek(), where the next value starts; after a
  // value is read, just past it.
  std::size_t offset() const noexcept { return static_cast<std::size_t>(p_ - begin_); }

 private:
  static Type type_at(char c) noexcept {
    switch (c) {
      case '{':
        return Type::object;
      case '[':
        return Type::array;
      case '"':
        return Type::string;
      case 't':
      case 'f':
        return Type::boolean;
      case 'n':
        return Type::null;
      default:
        return c == '-' || (c >= '0' && c <= '9') ? Type::number : Type::absent;
    }
  }
  bool fail() noexcept {
    failed_ = true;
    return false;
  }
  // Inlined everywhere (it runs several times per member): most JSON from servers has no
  // whitespace, one compare then.
  [[gnu::always_inline]] void skip_whitespace() noexcept {
    while (p_ < end_ && static_cast<unsigned char>(*p_) <= ' ' &&
           (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) {
      ++p_;
    }
  }
  bool open(char kind) noexcept;
  // At `closer`, which must close the innermost container: false, the container then a value
  // read; anything else fails.
  bool close(char closer) noexcept;
  bool read_string(std::string& buffer, std::string_view& out);
  bool scalar();
  bool skip_value();

  const char* begin_ = nullptr;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  std::size_t max_depth_ = kMaxJsonDepth;
  detail::Nesting open_;     // the containers entered and not yet closed
  bool need_comma_ = false;  // a value was just read inside the open container
  bool failed_ = false;
  std::string name_buffer_;   // a member name that had escapes
  std::string value_buffer_;  // a string value that had escapes
};

}  // namespace llmrt::json
