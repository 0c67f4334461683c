#include "arrival_limit.h"

#include <algorithm>

namespace llmrt::mock {

std::string reset_text(std::chrono::steady_clock::duration duration) {
  const long long ms =
      std::max<long long>(std::chrono::ceil<std::chrono::milliseconds>(duration).count(), 0);
  if (ms < 1000) return std::to_string(ms) + "ms";
  std::string text = std::to_string(ms / 1000);
  if (long long fraction = ms % 1000; fraction != 0) {
    std::string digits = std::to_string(fraction);
    digits.insert(0, 3 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    text += "." + digits;
  }
  return text + "s";
}

ArrivalLimit::ArrivalLimit(long long requests, std::chrono::milliseconds window)
    : requests_(requests), window_(window) {}

ArrivalLimit::Decision ArrivalLimit::arrive() {
  Decision decision;
  if (requests_ <= 0) {
    decision.at = Clock::now();
    return decision;
  }
  std::lock_guard lock(mutex_);
  const Clock::time_point now = Clock::now();
  decision.at = now;
  // An arrival counts while it is less than a window old.
  while (!accepted_.empty() && accepted_.front() + window_ <= now) accepted_.pop_front();
  decision.accepted = static_cast<long long>(accepted_.size()) < requests_;
  if (decision.accepted) accepted_.push_back(now);
  const Clock::duration reset = accepted_.front() + window_ - now;
  const long long remaining = requests_ - static_cast<long long>(accepted_.size());
  decision.headers = {{"x-ratelimit-limit-requests", std::to_string(requests_)},
                      {"x-ratelimit-remaining-requests", std::to_string(remaining)},
                      {"x-ratelimit-reset-requests", reset_text(reset)}};
  if (!decision.accepted) {
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(reset).count();
    decision.headers.emplace_back("Retry-After", std::to_string(std::max<long long>(seconds, 1)));
  }
  return decision;
}

}  // namespace llmrt::mock
