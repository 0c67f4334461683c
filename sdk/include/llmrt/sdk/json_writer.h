#pragma once

// Writing compact JSON text: a request body, an event line. Commas and colons are placed by
// the writer; strings are escaped as RFC 8259 requires.
//
//   llmrt::json::JsonWriter w;
//   w.begin_object();
//   w.field("model", request.model);
//   w.key("messages").begin_array();
//   ...
//   w.end_array();
//   w.end_object();
//   std::string body = w.take();
//
// - Strings: '"', '\\' and control characters are escaped (\n, \t, … or \u00XX); everything
//   else, non-ASCII included, is written as it is. Bytes that are not valid UTF-8 are each
//   written as U+FFFD, so the text is always valid JSON and valid UTF-8.
// - number(double) writes the shortest text that reads back as the same double ("0.8", "1.0",
//   "1e-7"); NaN and infinities have no JSON form: they throw Error (bad_request) naming the
//   member they were for.
// - raw() inserts text the caller vouches is one valid JSON value (a tool's arguments, a
//   schema from configuration, a value read with json::Value::raw()) without checking it.
// - Misuse (a value in an object without its key, an end without a begin, take() before the
//   last end) throws std::logic_error: it is a bug in the caller, never in the data.

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "llmrt/sdk/visibility.h"

namespace llmrt::json {

class LLMRT_VISIBLE JsonWriter {
 public:
  JsonWriter() = default;
  // Room for `bytes` of output at once: a writer told its likely size regrows no buffer.
  void reserve(std::size_t bytes) { out_.reserve(bytes); }

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // The name of the next member; the value written next is its value.
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view text);
  JsonWriter& number(long long n);
  JsonWriter& number(unsigned long long n);
  JsonWriter& number(double d);
  // Any other integer type (int, std::size_t, …), without an ambiguous conversion.
  template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) JsonWriter& number(T n) {
    if constexpr (std::is_signed_v<T>) {
      return number(static_cast<long long>(n));
    } else {
      return number(static_cast<unsigned long long>(n));
    }
  }
  JsonWriter& boolean(bool b);
  JsonWriter& null();
  // One complete JSON value, written as given.
  JsonWriter& raw(std::string_view json);

  // key(name) followed by the value.
  JsonWriter& field(std::string_view name, std::string_view text) { return key(name).string(text); }
  JsonWriter& field(std::string_view name, const char* text) { return key(name).string(text); }
  JsonWriter& field(std::string_view name, const std::string& text) {
    return key(name).string(text);
  }
  JsonWriter& field(std::string_view name, bool b) { return key(name).boolean(b); }
  JsonWriter& field(std::string_view name, double d) { return key(name).number(d); }
  template <typename T>
  requires(std::is_integral_v<T> &&
           !std::is_same_v<T, bool>) JsonWriter& field(std::string_view name, T n) {
    return key(name).number(n);
  }

  // The text so far.
  const std::string& str() const noexcept { return out_; }
  // The finished text, leaving the writer empty for another value. Throws std::logic_error
  // while an array or object is still open.
  std::string take();

 private:
  void push_open(char opener);
  void before_value();
  void end(char closer);

  std::string out_;
  // One entry per open container: '[' or '{'. Not json::Scanner's word of bits: this class is
  // exported from the core library, where a plugin built against earlier headers of the same
  // release may call it, so its layout stays.
  std::vector<char> open_;
  bool need_comma_ = false;
  bool after_key_ = false;
  std::size_t key_at_ = 0;  // where the last key starts in out_, for an error about its value
};

}  // namespace llmrt::json
