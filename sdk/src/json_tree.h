#pragma once

// The layout of a parsed JSON document, shared by the parser and the Value accessors.
//
// The tree is a flat "tape": each value is one Node, in document order; a container's children
// follow it, and an object's members are a key (a string node) followed by the value's nodes.
// A container knows the index just past its subtree, so siblings are reached without walking
// their children. Nodes refer to the document's own copy of the text by offset; only strings
// that carry escapes are decoded, once, into a side buffer.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace llmrt::json {

enum class NodeKind : std::uint32_t {
  null = 1,
  false_value,
  true_value,
  number,
  string,
  array,
  object,
};

// Offsets use 29 bits; the kind takes the other 3 of the first word.
inline constexpr unsigned kOffsetBits = 29;
inline constexpr std::uint32_t kOffsetMask = (std::uint32_t{1} << kOffsetBits) - 1;
// Every offset, the end of the text included, must fit.
inline constexpr std::size_t kMaxTextBytes = kOffsetMask;

struct Node {
  std::uint32_t kind_begin;  // kind << kOffsetBits | offset of the value's first byte
  std::uint32_t end;         // offset just past the value's last byte
  // array, object: index of the first node after the subtree.
  // string: 0 when the text has no escape, else 1 + offset of its decoded text in `strings`.
  // number: 1 when written as an integer (no fraction, no exponent), else 0.
  std::uint32_t a;
  // array: items; object: members; string with escapes: length of its decoded text.
  std::uint32_t b;

  NodeKind kind() const noexcept { return static_cast<NodeKind>(kind_begin >> kOffsetBits); }
  std::uint32_t begin() const noexcept { return kind_begin & kOffsetMask; }
  bool is_container() const noexcept {
    return kind() == NodeKind::array || kind() == NodeKind::object;
  }
};
static_assert(sizeof(Node) == 16);

// NUL bytes after the text, so that the string scan may read whole blocks past its end.
inline constexpr std::size_t kScanPadding = 16;

struct DocumentData {
  std::string text;  // the text parsed, then kScanPadding NUL bytes
  std::vector<Node> nodes;
  std::string strings;  // decoded strings that had escapes
  // The parser's stack of open containers, kept with the document so that a reparse does not
  // allocate it again.
  std::vector<std::uint32_t> open;

  std::string_view string_at(std::uint32_t index) const noexcept {
    const Node& n = nodes[index];
    if (n.a != 0) return std::string_view(strings).substr(n.a - 1, n.b);
    return std::string_view(text).substr(n.begin() + 1, n.end - n.begin() - 2);
  }
  std::uint32_t next_sibling(std::uint32_t index) const noexcept {
    const Node& n = nodes[index];
    return n.is_container() ? n.a : index + 1;
  }
};

}  // namespace llmrt::json
