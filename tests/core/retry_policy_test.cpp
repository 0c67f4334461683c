// The retry rules as pure functions: no sleeping, no clock.
#include <gtest/gtest.h>

#include "llmrt/core/retry_policy.h"

namespace llmrt::core {
namespace {

using std::chrono::milliseconds;
const auto kNow = std::chrono::system_clock::from_time_t(1'700'000'000);  // 2023-11-14 22:13:20 UTC
const milliseconds kCap{120'000};

TEST(RetryPolicy, RetryAfterMsWinsOverRetryAfter) {
  EXPECT_EQ(retry_after_hint({{"retry-after-ms", "1500"}, {"Retry-After", "9"}}, kNow, kCap),
            milliseconds(1500));
}

TEST(RetryPolicy, RetryAfterInSecondsOrAsAnHttpDate) {
  EXPECT_EQ(retry_after_hint({{"Retry-After", "2"}}, kNow, kCap), milliseconds(2000));
  EXPECT_EQ(retry_after_hint({{"Retry-After", "0.5"}}, kNow, kCap), milliseconds(500));
  EXPECT_EQ(retry_after_hint({{"Retry-After", "Tue, 14 Nov 2023 22:13:30 GMT"}}, kNow, kCap),
            milliseconds(10'000));
}

TEST(RetryPolicy, UnusableHintsAreIgnored) {
  EXPECT_EQ(retry_after_hint({}, kNow, kCap), std::nullopt);
  EXPECT_EQ(retry_after_hint({{"Retry-After", "soon"}}, kNow, kCap), std::nullopt);
  EXPECT_EQ(retry_after_hint({{"Retry-After", "0"}}, kNow, kCap), std::nullopt);
  EXPECT_EQ(retry_after_hint({{"Retry-After", "-3"}}, kNow, kCap), std::nullopt);
  EXPECT_EQ(retry_after_hint({{"Retry-After", "121"}}, kNow, kCap), std::nullopt);  // over the cap
  EXPECT_EQ(retry_after_hint({{"Retry-After", "Tue, 14 Nov 2023 22:13:00 GMT"}}, kNow, kCap),
            std::nullopt);  // in the past
}

TEST(RetryPolicy, RetryableKinds) {
  auto retryable = [](ErrorKind kind, HttpHeaders headers = {}, std::string code = {}) {
    return is_retryable(ErrorInfo{.kind = kind, .code = std::move(code)}, headers);
  };
  for (ErrorKind k :
       {ErrorKind::rate_limited, ErrorKind::server, ErrorKind::timeout, ErrorKind::network}) {
    EXPECT_TRUE(retryable(k)) << to_string(k);
  }
  for (ErrorKind k : {ErrorKind::bad_request, ErrorKind::context_length, ErrorKind::auth,
                      ErrorKind::quota_exhausted, ErrorKind::permission, ErrorKind::not_found,
                      ErrorKind::content_filter, ErrorKind::protocol, ErrorKind::cancelled}) {
    EXPECT_FALSE(retryable(k)) << to_string(k);
  }
  EXPECT_FALSE(retryable(ErrorKind::network, {}, "certificate_verify_failed"));
  EXPECT_FALSE(retryable(ErrorKind::server, {{"x-should-retry", "false"}}));
  EXPECT_TRUE(retryable(ErrorKind::bad_request, {{"X-Should-Retry", "true"}}));
  EXPECT_FALSE(retryable(ErrorKind::cancelled, {{"x-should-retry", "true"}}));
}

TEST(RetryPolicy, KeyFailures) {
  EXPECT_TRUE(is_key_failure(ErrorKind::rate_limited));
  EXPECT_TRUE(is_key_failure(ErrorKind::quota_exhausted));
  EXPECT_TRUE(is_key_failure(ErrorKind::auth));
  EXPECT_FALSE(is_key_failure(ErrorKind::server));
}

TEST(RetryPolicy, BackoffDoublesToTheCapWithJitter) {
  RetryPolicy p;
  EXPECT_EQ(backoff_delay(0, 0.0, p), milliseconds(500));
  EXPECT_EQ(backoff_delay(1, 0.0, p), milliseconds(1000));
  EXPECT_EQ(backoff_delay(4, 0.0, p), milliseconds(8000));
  EXPECT_EQ(backoff_delay(10, 0.0, p), milliseconds(8000));
  EXPECT_EQ(backoff_delay(0, 0.999999, p), milliseconds(375));
  EXPECT_EQ(backoff_delay(1, 0.5, p), milliseconds(875));
}

}  // namespace
}  // namespace llmrt::core
