#include "llmrt/sdk/json_scanner.h"

#include <algorithm>

#include "json_text.h"
#include "json_tree.h"

namespace llmrt::json {

void Scanner::reset(std::string_view text, const ParseLimits& limits) {
  begin_ = text.data();
  p_ = text.data();
  end_ = text.data() + text.size();
  max_depth_ = limits.max_depth;
  open_.clear();
  need_comma_ = false;
  // The same refusal as Document::reparse.
  failed_ = text.size() > std::min(limits.max_bytes, kMaxTextBytes);
}

bool Scanner::open(char kind) noexcept {
  if (failed_) return false;
  skip_whitespace();
  if (p_ == end_ || *p_ != kind || open_.depth() >= max_depth_) return fail();
  open_.push(kind == '{');
  ++p_;
  need_comma_ = false;
  return true;
}

bool Scanner::close(char closer) noexcept {
  if (*p_ != closer || open_.empty() || open_.innermost_is_object() != (closer == '}')) {
    return fail();
  }
  open_.pop();
  ++p_;
  need_comma_ = true;
  return false;
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

std::optional<long long> Scanner::int64() {
  if (peek() != Type::number) {
    skip_value();
    return std::nullopt;
  }
  // Nearly every count is a few digits with no fraction or exponent: read here, exactly (18
  // digits cannot overflow), the rest as Value::as_int64 reads them.
  const bool negative = *p_ == '-';
  const char* q = negative ? p_ + 1 : p_;
  const char* const digits = q;
  long long n = 0;
  while (q < end_ && q - digits < 18 && text::is_digit(*q)) n = n * 10 + (*q++ - '0');
  const auto count = q - digits;
  if (count >= 1 && (count == 1 || *digits != '0') &&
      (q == end_ || (*q != '.' && *q != 'e' && *q != 'E' && !text::is_digit(*q)))) {
    p_ = q;
    need_comma_ = true;
    return negative ? -n : n;
  }
  const char* begin = p_;
  bool integer = true;
  if (text::scan_number(p_, end_, integer) != nullptr) {
    fail();
    return std::nullopt;
  }
  need_comma_ = true;
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
  need_comma_ = true;
  return true;
}

// Iterative, like Document's parser: nesting costs the open_ stack, never the thread's.
bool Scanner::skip_value() {
  const std::size_t base = open_.depth();
  std::string_view name;
  for (;;) {
    // A value starts here.
    const Type type = peek();
    if (type == Type::object || type == Type::array) {
      if (!open(type == Type::object ? '{' : '[')) return false;
      const bool first = type == Type::object ? next_member(name) : next_item();
      if (first) continue;  // the first member's value or the first item
      if (failed_) return false;
    } else if (!scalar()) {
      return false;
    }
    // A value was read: close what it completes, until the next value starts or the skipped
    // value is whole.
    for (;;) {
      if (open_.depth() == base) return true;
      const bool more = open_.innermost_is_object() ? next_member(name) : next_item();
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
