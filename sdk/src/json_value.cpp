// Reads of json::Value over the tree the parser built (json_tree.h).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "json_text.h"
#include "json_tree.h"
#include "llmrt/sdk/json.h"

namespace llmrt::json {
namespace {

// A double's largest finite values are ~1.8e308: llmrt reads anything beyond as this.
constexpr double kLargest = 1e308;

// Whether a number from_chars found out of a double's range (valid JSON) is too large rather
// than too small: where its first significant digit stands, plus its exponent, decides.
bool overflows(std::string_view text) {
  if (text[0] == '-') text.remove_prefix(1);
  const std::size_t e = std::min(text.find_first_of("eE"), text.size());
  const std::string_view mantissa = text.substr(0, e);
  const std::size_t point = std::min(mantissa.find('.'), mantissa.size());
  const std::size_t first = mantissa.find_first_not_of("0.");
  if (first == std::string_view::npos) return false;  // zero, however written
  // 10^(magnitude - 1) <= mantissa < 10^magnitude
  const long long magnitude = first < point ? static_cast<long long>(point - first)
                                            : -static_cast<long long>(first - point - 1);
  long long exponent = 0;
  if (e < text.size()) {
    std::string_view digits = text.substr(e + 1);
    const bool negative = digits[0] == '-';
    if (digits[0] == '+' || digits[0] == '-') digits.remove_prefix(1);
    // Saturating: past a few thousand only the sign matters.
    for (char c : digits) exponent = std::min(exponent * 10 + (c - '0'), 1000000000LL);
    if (negative) exponent = -exponent;
  }
  return magnitude + exponent > 0;
}

std::optional<double> to_double(std::string_view text, bool clamp) {
  double d = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec == std::errc::result_out_of_range) {
    if (!clamp) return std::nullopt;
    const bool negative = text[0] == '-';
    if (overflows(text)) return negative ? -kLargest : kLargest;
    return negative ? -0.0 : 0.0;
  }
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return d;
}

}  // namespace

std::optional<long long> text::number_as_int64(std::string_view raw, bool integer) noexcept {
  if (integer) {
    long long n = 0;
    auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), n);
    if (ec == std::errc() && end == raw.data() + raw.size()) return n;
    return std::nullopt;  // an integer beyond 64 bits
  }
  std::optional<double> d = to_double(raw, false);
  // 2^63 is exact as a double; NaN fails every comparison.
  if (d && *d >= -9223372036854775808.0 && *d < 9223372036854775808.0 && *d == std::floor(*d)) {
    return static_cast<long long>(*d);
  }
  return std::nullopt;
}

namespace detail {

std::uint32_t next_sibling(const DocumentData* data, std::uint32_t index) noexcept {
  return data->next_sibling(index);
}

std::string_view key_at(const DocumentData* data, std::uint32_t index) noexcept {
  return data->string_at(index);
}

}  // namespace detail

Type Value::type() const noexcept {
  if (data_ == nullptr) return Type::absent;
  switch (data_->nodes[index_].kind()) {
    case NodeKind::null:
      return Type::null;
    case NodeKind::false_value:
    case NodeKind::true_value:
      return Type::boolean;
    case NodeKind::number:
      return Type::number;
    case NodeKind::string:
      return Type::string;
    case NodeKind::array:
      return Type::array;
    case NodeKind::object:
      return Type::object;
  }
  return Type::absent;
}

// The hot read of every plugin: keys without escapes (nearly all) are compared in the text.
Value Value::operator[](std::string_view key) const noexcept {
  if (data_ == nullptr) return {};
  const Node* nodes = data_->nodes.data();
  const Node& self = nodes[index_];
  if (self.kind() != NodeKind::object) return {};
  const char* text = data_->text.data();
  std::uint32_t found = 0;
  for (std::uint32_t i = index_ + 1; i < self.a;) {
    const Node& name = nodes[i];
    if (name.a == 0 ? name.end - name.begin() - 2 == key.size() &&
                          std::memcmp(text + name.begin() + 1, key.data(), key.size()) == 0
                    : data_->string_at(i) == key) {
      found = i + 1;
    }
    const Node& value = nodes[i + 1];
    i = value.is_container() ? value.a : i + 2;
  }
  return found == 0 ? Value() : Value(data_, found);
}

Value Value::operator[](std::size_t i) const noexcept {
  if (data_ == nullptr || data_->nodes[index_].kind() != NodeKind::array ||
      i >= data_->nodes[index_].b) {
    return {};
  }
  std::uint32_t at = index_ + 1;
  for (; i > 0; --i) at = data_->next_sibling(at);
  return Value(data_, at);
}

std::size_t Value::size() const noexcept {
  if (data_ == nullptr || !data_->nodes[index_].is_container()) return 0;
  return data_->nodes[index_].b;
}

std::string_view Value::str(std::string_view fallback) const noexcept {
  if (data_ == nullptr || data_->nodes[index_].kind() != NodeKind::string) return fallback;
  return data_->string_at(index_);
}

std::optional<std::string_view> Value::as_string() const noexcept {
  if (!is_string()) return std::nullopt;
  return data_->string_at(index_);
}

std::optional<long long> Value::as_int64() const noexcept {
  if (!is_number()) return std::nullopt;
  return text::number_as_int64(raw(), data_->nodes[index_].a == 1);
}

std::optional<double> Value::as_double() const noexcept {
  if (!is_number()) return std::nullopt;
  return to_double(raw(), true);
}

std::optional<bool> Value::as_bool() const noexcept {
  if (data_ == nullptr) return std::nullopt;
  switch (data_->nodes[index_].kind()) {
    case NodeKind::true_value:
      return true;
    case NodeKind::false_value:
      return false;
    default:
      return std::nullopt;
  }
}

std::optional<long long> Value::as_count() const noexcept {
  std::optional<long long> n = as_int64();
  return n && *n >= 0 ? n : std::nullopt;
}

std::string_view Value::raw() const noexcept {
  if (data_ == nullptr) return {};
  const Node& n = data_->nodes[index_];
  return std::string_view(data_->text).substr(n.begin(), n.end - n.begin());
}

std::string Value::text() const {
  if (is_string()) return std::string(data_->string_at(index_));
  if (is_number()) return std::string(raw());
  return {};
}

JsonRange<Value> Value::items() const noexcept {
  if (!is_array()) return {};
  return {data_, index_ + 1, data_->nodes[index_].a};
}

JsonRange<Member> Value::members() const noexcept {
  if (!is_object()) return {};
  return {data_, index_ + 1, data_->nodes[index_].a};
}

}  // namespace llmrt::json
