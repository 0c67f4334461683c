#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <string>

#include "llmrt/sdk/http.h"

namespace llmrt::mock {

// The mock server's rate limit: at most `requests` accepted arrivals in any sliding window,
// counted exactly (a log of the accepted arrivals still inside the window, so memory is at most
// `requests` entries). Thread-safe.
class ArrivalLimit {
 public:
  using Clock = std::chrono::steady_clock;

  // requests 0: no limit (every arrival accepted, no headers).
  ArrivalLimit(long long requests, std::chrono::milliseconds window);

  struct Decision {
    Clock::time_point at{};  // the arrival's time, read under the lock: the log stays in order
    bool accepted = true;
    // The headers the reply carries: OpenAI's x-ratelimit-limit-requests,
    // x-ratelimit-remaining-requests and x-ratelimit-reset-requests (when the oldest counted
    // arrival leaves the window, i.e. when the count starts to fall), and on a refusal
    // Retry-After (that time in whole seconds, rounded up). Empty without a limit.
    HttpHeaders headers;
  };
  Decision arrive();

 private:
  const long long requests_;
  const Clock::duration window_;
  std::mutex mutex_;
  std::deque<Clock::time_point> accepted_;
};

// A duration as OpenAI writes it in x-ratelimit-reset-*: "1.2s", "59.998s", "120ms" (rounded up
// to the millisecond).
std::string reset_text(std::chrono::steady_clock::duration duration);

}  // namespace llmrt::mock
