#pragma once

#include <chrono>
#include <optional>

#include "llmrt/sdk/error.h"
#include "llmrt/sdk/http.h"

namespace llmrt::core {

// When and how long to wait before trying a call again. Everything here is a pure function
// of its arguments (time and randomness come in as parameters), so it is tested without
// sleeping. The numbers follow the official OpenAI SDK (shared/wire/openai.md).
struct RetryPolicy {
  // Retries after the first attempt; key changes after a key-specific failure (rate limit,
  // no quota, invalid key) are bounded by the number of keys instead.
  int max_retries = 2;
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{8000};
  // A server's Retry-After larger than this is not obeyed (the backoff is used instead).
  std::chrono::milliseconds max_retry_after{120'000};
};

// The longest wait a server's ask is reported with (a year): beyond that it is no wait anyone
// means, and it would not fit the figures that carry it.
inline constexpr std::chrono::milliseconds kLongestAskedWait{31'536'000'000LL};

// The wait a response asks for: `retry-after-ms`, else `Retry-After` in seconds or as an
// HTTP date (RFC 9110 §10.2.3), relative to `now`. Null when absent, unreadable, not positive
// or above `cap`.
std::optional<std::chrono::milliseconds> retry_after_hint(const HttpHeaders& headers,
                                                          std::chrono::system_clock::time_point now,
                                                          std::chrono::milliseconds cap);

// A provider's own hint (ErrorInfo::retry_after, which a plugin may read from a body, as
// Gemini's RetryInfo), believed on the same terms as a header: null when not positive or above
// `cap`.
std::optional<std::chrono::milliseconds> retry_after_within(
    std::optional<std::chrono::milliseconds> hint, std::chrono::milliseconds cap);

// Whether a failure of this kind can succeed when tried again (with the same or another key).
// `x-should-retry: true|false` in the response overrides the kind.
bool is_retryable(const ErrorInfo& error, const HttpHeaders& headers);

// Whether the failure belongs to the key rather than the request: another key may succeed.
bool is_key_failure(ErrorKind kind);

// min(initial · 2^retry, max) scaled by a jitter factor in [0.75, 1]; `jitter` in [0, 1)
// picks the factor (0 → 1.0, just under 1 → 0.75).
std::chrono::milliseconds backoff_delay(int retry, double jitter, const RetryPolicy& policy);

}  // namespace llmrt::core
