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
#include <vector>

#include "llmrt/sdk/json.h"

namespace llmrt::json {

class Scanner {
 public:
  Scanner() = default;
  explicit Scanner(std::string_view text, const ParseLimits& limits = {}) { reset(text, limits); }
  // Starts over on another text, keeping the buffers.
  void reset(std::string_view text, const ParseLimits& limits = {});

  // The type of the value that comes next; absent at the end of an array or object, after a
  // failure, or where no value can start.
  Type peek() noexcept;

  // Steps into the object that comes next (false if none: the scanner then fails).
  bool enter_object() noexcept;
  // The next member of the object being read: its name (escapes decoded, valid until the next
  // member's), the scanner then at its value, which must be read or skipped before the next
  // call. False when the object has ended (the scanner is then after it) or on failure.
  bool next_member(std::string_view& name);
  bool enter_array() noexcept;
  // Whether another item of the array being read comes next (false: the array has ended).
  bool next_item() noexcept;

  // The string that comes next, escapes decoded (valid until the next string is read). A
  // value of any other type is skipped and gives null.
  std::optional<std::string_view> string();
  // The number that comes next as a whole 64-bit integer, as Value::as_int64 reads it; null
  // (the value skipped) for any other number or type.
  std::optional<long long> int64();
  // The value that comes next, whatever it is, checked but not kept.
  bool skip();
  // True when the root value has been read whole and only whitespace follows it.
  bool finish() noexcept;

  bool ok() const noexcept { return !failed_; }

 private:
  bool fail() noexcept {
    failed_ = true;
    return false;
  }
  void skip_whitespace() noexcept;
  bool open(char kind) noexcept;
  bool close(char kind) noexcept;
  bool comma_or_close(char closer) noexcept;
  bool read_string(std::string& buffer, std::string_view& out);
  bool scalar();
  void value_done() noexcept { need_comma_ = true; }

  const char* p_ = nullptr;
  const char* end_ = nullptr;
  std::size_t max_depth_ = kMaxJsonDepth;
  std::vector<char> open_;   // '{' or '[' for each container entered and not yet closed
  bool need_comma_ = false;  // a value was just read inside the open container
  bool failed_ = false;
  std::string name_buffer_;   // a member name that had escapes
  std::string value_buffer_;  // a string value that had escapes
};

}  // namespace llmrt::json
