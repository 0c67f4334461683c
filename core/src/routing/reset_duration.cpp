#include "routing/reset_duration.h"

#include <array>
#include <charconv>
#include <cmath>

namespace llmrt::core {
namespace {

// Longer than any rate-limit window a provider uses; beyond it the header is taken for garbage
// (and the arithmetic below stays far from overflow).
constexpr double kMaxResetSeconds = 24.0 * 3600.0;

struct Unit {
  std::string_view name;
  double seconds;
};
// Longest names first, so that "ms" is not read as "m" followed by "s".
constexpr std::array<Unit, 7> kUnits{{{"ms", 1e-3},
                                      {"us", 1e-6},
                                      {"\xC2\xB5s", 1e-6},  // µs, as Go prints it
                                      {"ns", 1e-9},
                                      {"h", 3600.0},
                                      {"m", 60.0},
                                      {"s", 1.0}}};

bool is_digit_or_dot(char c) { return (c >= '0' && c <= '9') || c == '.'; }

// A non-negative decimal at the front of `text` (no sign, no exponent), consumed.
std::optional<double> take_number(std::string_view& text) {
  std::size_t length = 0;
  while (length < text.size() && is_digit_or_dot(text[length])) ++length;
  if (length == 0) return std::nullopt;
  double value = 0;
  auto [stop, ec] =
      std::from_chars(text.data(), text.data() + length, value, std::chars_format::fixed);
  if (ec != std::errc() || stop != text.data() + length || !std::isfinite(value)) {
    return std::nullopt;
  }
  text.remove_prefix(length);
  return value;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<std::chrono::nanoseconds> parse_reset_duration(std::string_view text) {
  text = trimmed(text);
  double seconds = 0;
  auto first = take_number(text);
  if (!first) return std::nullopt;
  if (text.empty()) {
    seconds = *first;  // a bare number: seconds
  } else {
    for (double number = *first;;) {
      const Unit* unit = nullptr;
      for (const Unit& candidate : kUnits) {
        if (text.substr(0, candidate.name.size()) == candidate.name) {
          unit = &candidate;
          break;
        }
      }
      if (unit == nullptr) return std::nullopt;
      text.remove_prefix(unit->name.size());
      seconds += number * unit->seconds;
      if (seconds > kMaxResetSeconds) return std::nullopt;
      if (text.empty()) break;
      auto next = take_number(text);
      if (!next) return std::nullopt;
      number = *next;
    }
  }
  if (seconds > kMaxResetSeconds) return std::nullopt;
  return std::chrono::nanoseconds(std::llround(seconds * 1e9));
}

}  // namespace llmrt::core
