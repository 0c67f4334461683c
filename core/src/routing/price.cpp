#include "llmrt/core/price.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <utility>

#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

constexpr double kTokensPerPriceUnit = 1'000'000;  // prices are per million tokens

}  // namespace

void check_price(const Price& price) {
  for (auto [rate, name] :
       {std::pair{std::optional(price.input), "input"},
        std::pair{std::optional(price.output), "output"},
        std::pair{price.cached_input, "cached_input"}, std::pair{price.cache_write, "cache_write"},
        std::pair{price.reasoning, "reasoning"}}) {
    if (rate && !(*rate >= 0 && *rate <= kMaxPrice)) {  // NaN fails both
      char shortest[32];
      const auto end = std::to_chars(shortest, shortest + sizeof shortest, *rate).ptr;
      throw Error(ErrorKind::bad_request, std::string("price.") + name +
                                              " must be a number from 0 to 1e9, got " +
                                              std::string(shortest, end));
    }
  }
}

double cost_of(const Usage& usage, const Price& price) noexcept {
  // A provider that reports more cached than prompt tokens still pays for the cached ones; the
  // plain remainder just cannot go negative.
  const long long uncached_input =
      std::max(0LL, usage.prompt_tokens - usage.cache_read_tokens - usage.cache_write_tokens);
  const long long plain_output = std::max(0LL, usage.completion_tokens - usage.reasoning_tokens);
  const double units =
      static_cast<double>(uncached_input) * price.input +
      static_cast<double>(usage.cache_read_tokens) * price.cached_input.value_or(price.input) +
      static_cast<double>(usage.cache_write_tokens) * price.cache_write.value_or(price.input) +
      static_cast<double>(plain_output) * price.output +
      static_cast<double>(usage.reasoning_tokens) * price.reasoning.value_or(price.output);
  return units / kTokensPerPriceUnit;
}

}  // namespace llmrt::core
