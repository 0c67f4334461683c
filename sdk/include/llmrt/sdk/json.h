#pragma once

// Reading JSON that came from outside — a server's reply or stream event, a user's file — as a
// read-only tree. The parser is iterative (no recursion whatever the input), bounded in depth
// and size, and strict about RFC 8259 syntax, so hostile bytes end in an llmrt::Error naming
// the byte where they went wrong, never in a crash.
//
//   llmrt::json::Document doc = llmrt::json::Document::parse(response.body);
//   llmrt::json::Value choice = doc.root()["choices"][0];
//   std::string_view text = choice["message"]["content"].str();
//   for (auto [key, value] : doc.root()["usage"].members()) { ... }
//
// Reading never throws: a missing member, an index past the end or a value of another type
// gives an "absent" Value (exists() false) or an empty optional, and every read of an absent
// Value is absent again, so a chain of lookups needs one check at the end.
//
// What the parser accepts, beyond the plain grammar:
// - Duplicate member names are kept; a lookup by name finds the LAST one (as JavaScript's
//   JSON.parse and Python's json do, which most servers use to write theirs); members()
//   yields them all in order.
// - A number too large for a double (1e400) is read, not refused: as_double() gives ±1e308
//   (the largest magnitude llmrt uses), one too small gives ±0, and as_int64()/as_count() give
//   null for it. One absurd number in a usage count does not cost a whole reply.
// - \u escapes are decoded to UTF-8, surrogate pairs included; a lone surrogate (a model's
//   reply cut inside an emoji) becomes U+FFFD rather than failing the text. Bytes of a string
//   are otherwise kept as they are: invalid UTF-8 is not refused (JsonWriter repairs it when
//   the text is written again).
// - Refused: trailing commas, comments, single quotes, unescaped control characters in
//   strings, leading zeros, NaN/Infinity, text after the value, more than `max_depth` levels of
//   nested arrays and objects, more than `max_bytes` bytes.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "llmrt/sdk/json_limits.h"
#include "llmrt/sdk/visibility.h"

namespace llmrt::json {

struct ParseLimits {
  // Levels of nested arrays and objects; the root container is level 1.
  std::size_t max_depth = kMaxJsonDepth;
  // The longest text read. Texts of 512 MiB or more are refused whatever this says (offsets
  // are kept in 29 bits to keep the tree small).
  std::size_t max_bytes = std::size_t{64} << 20;
};

enum class Type : std::uint8_t { absent, null, boolean, number, string, array, object };

struct DocumentData;  // the parsed tree: text, nodes and decoded strings
class Value;
struct Member;
template <typename T>
class JsonRange;

namespace detail {
// Steps of the ranges below, out of line because they read the tree's layout.
LLMRT_VISIBLE std::uint32_t next_sibling(const DocumentData* data, std::uint32_t index) noexcept;
LLMRT_VISIBLE std::string_view key_at(const DocumentData* data, std::uint32_t index) noexcept;
}  // namespace detail

// A read-only view of one value in a Document: two words, cheap to copy, valid while the
// Document it came from lives (moving the Document keeps it valid).
class LLMRT_VISIBLE Value {
 public:
  Value() = default;  // absent
  // Made by Document and the ranges; a DocumentData exists only inside a Document.
  Value(const DocumentData* data, std::uint32_t index) noexcept : data_(data), index_(index) {}

  bool exists() const noexcept { return data_ != nullptr; }
  explicit operator bool() const noexcept { return exists(); }
  Type type() const noexcept;
  bool is_null() const noexcept { return type() == Type::null; }
  bool is_bool() const noexcept { return type() == Type::boolean; }
  bool is_number() const noexcept { return type() == Type::number; }
  bool is_string() const noexcept { return type() == Type::string; }
  bool is_array() const noexcept { return type() == Type::array; }
  bool is_object() const noexcept { return type() == Type::object; }

  // The member named `key` (the last one when the name repeats); absent when this is not an
  // object or has no such member. Linear in the number of members.
  Value operator[](std::string_view key) const noexcept;
  Value operator[](const char* key) const noexcept { return (*this)[std::string_view(key)]; }
  // Item `i` of an array; absent past the end or when this is not an array. Linear in `i`:
  // iterate with items() to visit them all.
  Value operator[](std::size_t i) const noexcept;
  Value operator[](int i) const noexcept {
    return i < 0 ? Value() : (*this)[static_cast<std::size_t>(i)];
  }

  // Items of an array or members of an object; 0 for anything else.
  std::size_t size() const noexcept;
  bool empty() const noexcept { return size() == 0; }

  // The string's text (escapes decoded), else `fallback`.
  std::string_view str(std::string_view fallback = {}) const noexcept;
  std::optional<std::string_view> as_string() const noexcept;
  // A number that is a whole 64-bit integer: integers as written, and doubles (12.0, 1e3) only
  // when whole and in range — never a number beyond a double's range. Null for anything else.
  std::optional<long long> as_int64() const noexcept;
  // A number as a double; ±1e308 for one beyond a double's range. Null for anything else.
  std::optional<double> as_double() const noexcept;
  std::optional<bool> as_bool() const noexcept;
  // A count: as_int64() when it is 0 or more, else null (-1, 2^64 and 1e400 are no counts).
  std::optional<long long> as_count() const noexcept;

  // The exact source text of this value (an object with its spaces and escapes as they came):
  // pass a tool's arguments or a schema on unchanged. Empty when absent.
  std::string_view raw() const noexcept;
  // A scalar as text: a string's text, a number as written ("-20003", "1.5e3"); empty for
  // anything else. Providers send error codes as either.
  std::string text() const;

  // for (json::Value item : v.items()) — empty unless this is an array.
  JsonRange<Value> items() const noexcept;
  // for (const auto& [key, value] : v.members()) — every member in order, repeats included;
  // empty unless this is an object.
  JsonRange<Member> members() const noexcept;

 private:
  const DocumentData* data_ = nullptr;
  std::uint32_t index_ = 0;
};

struct Member {
  std::string_view key;
  Value value;
};

// The items of an array (T = Value) or the members of an object (T = Member), in order.
template <typename T>
class JsonRange {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = T;

    iterator() = default;
    iterator(const DocumentData* data, std::uint32_t index) noexcept : data_(data), index_(index) {}

    // A member is its key's node followed by its value's.
    T operator*() const noexcept {
      if constexpr (std::is_same_v<T, Member>) {
        return Member{detail::key_at(data_, index_), Value(data_, index_ + 1)};
      } else {
        return Value(data_, index_);
      }
    }
    iterator& operator++() noexcept {
      index_ = detail::next_sibling(data_, std::is_same_v<T, Member> ? index_ + 1 : index_);
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const iterator& other) const noexcept { return index_ == other.index_; }

   private:
    const DocumentData* data_ = nullptr;
    std::uint32_t index_ = 0;
  };

  JsonRange() = default;
  JsonRange(const DocumentData* data, std::uint32_t first, std::uint32_t end) noexcept
      : data_(data), first_(first), end_(end) {}
  iterator begin() const noexcept { return {data_, first_}; }
  iterator end() const noexcept { return {data_, end_}; }
  bool empty() const noexcept { return first_ == end_; }

 private:
  const DocumentData* data_ = nullptr;
  std::uint32_t first_ = 0;
  std::uint32_t end_ = 0;
};

// A parsed JSON text: owns a copy of the text and a flat tree over it (16 bytes per value,
// strings that carry escapes decoded once into a side buffer), so memory stays proportional
// to the input. Movable, not copyable.
class LLMRT_VISIBLE Document {
 public:
  // Throws Error (ErrorKind::protocol) naming the byte and what was expected there:
  // "invalid JSON at byte 42: expected ',' or '}'", "JSON nested deeper than 128 levels at
  // byte 7", "JSON text of 70000000 bytes is longer than the limit of 67108864".
  static Document parse(std::string_view text, const ParseLimits& limits = {});
  // The same, returning null on failure and the message in `*error` when given.
  static std::optional<Document> try_parse(std::string_view text, std::string* error = nullptr,
                                           const ParseLimits& limits = {});

  // An empty document (its root is absent), to reparse() into.
  Document() noexcept;
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  ~Document();

  // Parses `text` into this document, reusing its memory: a stream decoder that parses one
  // event after another this way does not allocate per event. Values read from the document
  // before are invalid afterwards. On failure returns false, the message in `*error` when
  // given, and leaves the document empty.
  bool reparse(std::string_view text, std::string* error = nullptr, const ParseLimits& limits = {});

  // The top-level value; absent for an empty or moved-from Document.
  Value root() const noexcept;

 private:
  std::unique_ptr<DocumentData> data_;
};

}  // namespace llmrt::json
