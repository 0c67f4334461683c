#pragma once

#include <CLI/CLI.hpp>

namespace llmrt::cli {

// Validators for numeric options whose failures read as sentences ("--timeout: must be greater
// than 0 seconds") instead of CLI11's ranges (which print DBL_MAX in 300 digits). Each also
// refuses what the option's type would overflow on.

// A whole number from `min` to `max`.
CLI::Validator whole_number(long long min, long long max);

// A number of seconds greater than 0 and at most kMaxSeconds.
CLI::Validator positive_seconds();

// Longer than any call should wait (a year), and small enough that milliseconds fit a 64-bit
// count.
inline constexpr double kMaxSeconds = 365.0 * 24 * 3600;

}  // namespace llmrt::cli
