#include "llmrt/core/price.h"

#include <algorithm>

namespace llmrt::core {
namespace {

constexpr double kTokensPerPriceUnit = 1'000'000;  // prices are per million tokens

}  // namespace

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
