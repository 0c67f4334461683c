#pragma once

#include <optional>

#include "llmrt/sdk/chat_result.h"

namespace llmrt::core {

// A model's prices in currency units per million tokens ("price" in a configuration file).
// The optional ones default to the rate they are a kind of: cached_input and cache_write to
// input, reasoning to output.
struct Price {
  double input = 0;
  double output = 0;
  std::optional<double> cached_input{};  // prompt tokens read from the provider's cache
  std::optional<double> cache_write{};   // prompt tokens written to it
  std::optional<double> reasoning{};     // completion tokens spent on reasoning
};

// The most a rate may be: any count of tokens then costs a finite amount (a cost is written as
// a JSON number, which cannot be infinite).
inline constexpr double kMaxPrice = 1e9;

// Throws Error (bad_request) naming a rate that is negative, not a number, or above kMaxPrice
// ("price.input must be …"). ChatModel checks its price when it is made.
void check_price(const Price& price);

// What `usage` costs at `price`. Usage's cache and reasoning counts are parts of its prompt and
// completion counts, so each token is priced once: at its own rate when it has one.
double cost_of(const Usage& usage, const Price& price) noexcept;

}  // namespace llmrt::core
