#include "llmrt/sdk/json_scanner.h"

#include <algorithm>

#include "json_text.h"
#include "json_tree.h"

namespace llmrt::json {

void Scanner::reset(std::string_view text, const ParseLimits& limits) {
  p_ = text.data();
  end_ = text.data() + text.size();
  max_depth_ = limits.max_depth;
  open_.clear();
  need_comma_ = false;
  // The same refusal as Document::reparse.
  failed_ = text.size() > std::min(limits.max_bytes, kMaxTextBytes);
}

void Scanner::skip_whitespace() noexcept {
  while (p_ < end_ && text::is_whitespace(*p_)) ++p_;
}

Type Scanner::peek() noexcept {
  if (failed_) return Type::absent;
  skip_whitespace();
  if (p_ == end_) return Type::absent;
  switch (*p_) {
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
      return *p_ == '-' || (*p_ >= '0' && *p_ <= '9') ? Type::number : Type::absent;
  }
}

bool Scanner::open(char kind) noexcept {
  if (failed_ || p_ == end_ || *p_ != kind || open_.size() >= max_depth_) return fail();
  open_.push_back(kind);
  ++p_;
  need_comma_ = false;
  return true;
}

// At a closer: it must close the innermost container, which is then a value read.
bool Scanner::close(char kind) noexcept {
  if (open_.empty() || open_.back() != kind) return fail();
  open_.pop_back();
  ++p_;
  value_done();
  return true;
}

// Between the items or members of the innermost container: true at a comma (consumed, and a
// value or member must follow), false at its closer (consumed) or on failure.
bool Scanner::comma_or_close(char closer) noexcept {
  if (failed_ || open_.empty()) return fail();
  skip_whitespace();
  if (p_ == end_) return fail();
  if (*p_ == closer) {
    const char kind = closer == '}' ? '{' : '[';
    close(kind);
    return false;
  }
  if (!need_comma_) return true;  // the first item or member
  if (*p_ != ',') return fail();
  ++p_;
  skip_whitespace();
  return true;
}

bool Scanner::enter_object() noexcept {
  skip_whitespace();
  return open('{');
}

bool Scanner::enter_array() noexcept {
  skip_whitespace();
  return open('[');
}

bool Scanner::next_member(std::string_view& name) {
  const bool first = !need_comma_;
  if (!comma_or_close('}')) return false;
  // After a comma a member must follow: `{"a":1,}` is refused.
  if (!first && p_ < end_ && *p_ == '}') return fail();
  if (p_ == end_ || *p_ != '"' || !read_string(name_buffer_, name)) return fail();
  skip_whitespace();
  if (p_ == end_ || *p_ != ':') return fail();
  ++p_;
  skip_whitespace();
  need_comma_ = false;
  return true;
}

bool Scanner::next_item() noexcept {
  const bool first = !need_comma_;
  if (!comma_or_close(']')) return false;
  if (!first && p_ < end_ && *p_ == ']') return fail();  // `[1,]`
  need_comma_ = false;
  return true;
}

bool Scanner::read_string(std::string& buffer, std::string_view& out) {
  const char* q = text::skip_plain<false>(p_ + 1, end_);
  if (q < end_ && *q == '"') {
    out = std::string_view(p_ + 1, static_cast<std::size_t>(q - p_ - 1));
    p_ = q + 1;
    return true;
  }
  buffer.assign(p_ + 1, q);
  if (text::decode_escaped(q, end_, buffer) != nullptr) return fail();
  out = buffer;
  p_ = q + 1;
  return true;
}

std::optional<std::string_view> Scanner::string() {
  if (peek() != Type::string) {
    skip();
    return std::nullopt;
  }
  std::string_view out;
  if (!read_string(value_buffer_, out)) return std::nullopt;
  value_done();
  return out;
}

std::optional<long long> Scanner::int64() {
  if (peek() != Type::number) {
    skip();
    return std::nullopt;
  }
  const char* begin = p_;
  bool integer = true;
  if (text::scan_number(p_, end_, integer) != nullptr) {
    fail();
    return std::nullopt;
  }
  value_done();
  return text::number_as_int64(std::string_view(begin, static_cast<std::size_t>(p_ - begin)),
                               integer);
}

// A string, number or literal.
bool Scanner::scalar() {
  auto literal = [this](std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::string_view(p_, word.size()) != word) {
      return fail();
    }
    p_ += word.size();
    return true;
  };
  bool integer = true;
  std::string_view ignored;
  switch (peek()) {
    case Type::string:
      if (!read_string(value_buffer_, ignored)) return false;
      break;
    case Type::number:
      if (text::scan_number(p_, end_, integer) != nullptr) return fail();
      break;
    case Type::boolean:
      if (!literal(*p_ == 't' ? "true" : "false")) return false;
      break;
    case Type::null:
      if (!literal("null")) return false;
      break;
    default:
      return fail();
  }
  value_done();
  return true;
}

// Iterative, like Document's parser: nesting costs the open_ stack, never the thread's.
bool Scanner::skip() {
  const std::size_t base = open_.size();
  std::string_view name;
  for (;;) {
    // A value starts here.
    const Type type = peek();
    if (type == Type::object) {
      if (!open('{')) return false;
      if (!next_member(name)) {
        if (failed_) return false;
      } else {
        continue;  // the first member's value
      }
    } else if (type == Type::array) {
      if (!open('[')) return false;
      if (!next_item()) {
        if (failed_) return false;
      } else {
        continue;  // the first item
      }
    } else if (!scalar()) {
      return false;
    }
    // A value was read: close what it completes, until the next value starts or the skipped
    // value is whole.
    for (;;) {
      if (open_.size() == base) return true;
      const bool more = open_.back() == '{' ? next_member(name) : next_item();
      if (failed_) return false;
      if (more) break;
    }
  }
}

bool Scanner::finish() noexcept {
  if (failed_ || !open_.empty() || !need_comma_) return false;
  skip_whitespace();
  return p_ == end_ || fail();
}

}  // namespace llmrt::json
