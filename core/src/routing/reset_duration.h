#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace llmrt::core {

// A rate-limit reset as OpenAI writes it in x-ratelimit-reset-requests / -tokens: Go's duration
// format ("1s", "6m0s", "120ms", "2.5s", "1h2m3s"; units h, m, s, ms, us, µs, ns), or a bare
// number of seconds ("0.5"). Null for anything else (empty, negative, unknown unit, trailing
// text, over a day): a header we cannot read is ignored, never trusted.
std::optional<std::chrono::nanoseconds> parse_reset_duration(std::string_view text);

}  // namespace llmrt::core
