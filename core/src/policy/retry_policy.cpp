#include "llmrt/core/retry_policy.h"

#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace llmrt::core {
namespace {

std::optional<double> parse_number(const std::string& text) {
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  while (begin < end && *begin == ' ') ++begin;
  auto [stop, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || stop != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<std::chrono::milliseconds> within(double ms, std::chrono::milliseconds cap) {
  if (ms <= 0 || ms > static_cast<double>(cap.count())) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(ms)));
}

}  // namespace

std::optional<std::chrono::milliseconds> retry_after_hint(const HttpHeaders& headers,
                                                          std::chrono::system_clock::time_point now,
                                                          std::chrono::milliseconds cap) {
  if (const std::string* ms = find_header(headers, "retry-after-ms")) {
    if (auto value = parse_number(*ms)) return within(*value, cap);
  }
  const std::string* after = find_header(headers, "retry-after");
  if (after == nullptr) return std::nullopt;
  if (auto seconds = parse_number(*after)) return within(*seconds * 1000, cap);
  try {
    int tz = 0;
    Poco::DateTime when = Poco::DateTimeParser::parse(*after, tz);
    auto target = std::chrono::system_clock::from_time_t(when.timestamp().epochTime()) -
                  std::chrono::seconds(tz);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(target - now);
    return within(static_cast<double>(ms.count()), cap);
  } catch (const Poco::Exception&) {
    return std::nullopt;  // neither a number nor a date: ignored
  }
}

std::optional<std::chrono::milliseconds> retry_after_within(
    std::optional<std::chrono::milliseconds> hint, std::chrono::milliseconds cap) {
  if (!hint) return std::nullopt;
  return within(static_cast<double>(hint->count()), cap);
}

bool is_key_failure(ErrorKind kind) {
  return kind == ErrorKind::rate_limited || kind == ErrorKind::quota_exhausted ||
         kind == ErrorKind::auth;
}

bool is_retryable(const ErrorInfo& error, const HttpHeaders& headers) {
  if (error.kind == ErrorKind::cancelled) return false;
  if (const std::string* should = find_header(headers, "x-should-retry")) {
    if (*should == "true") return true;
    if (*should == "false") return false;
  }
  if (error.retryable) return *error.retryable;
  switch (error.kind) {
    case ErrorKind::rate_limited:
    case ErrorKind::server:
    case ErrorKind::timeout:
      return true;
    case ErrorKind::network:
      // A certificate that failed verification, or a proxy that wants other credentials, will
      // fail again.
      return error.code != "certificate_verify_failed" && error.code != "proxy_auth_required";
    default:
      return false;
  }
}

std::chrono::milliseconds backoff_delay(int retry, double jitter, const RetryPolicy& policy) {
  double base =
      static_cast<double>(policy.initial_backoff.count()) * std::pow(2.0, std::clamp(retry, 0, 30));
  base = std::min(base, static_cast<double>(policy.max_backoff.count()));
  double factor = 1.0 - 0.25 * std::clamp(jitter, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(base * factor));
}

}  // namespace llmrt::core
