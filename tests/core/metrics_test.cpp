// The per-deployment counters and their Prometheus text.
#include <gtest/gtest.h>

#include <algorithm>

#include "llmrt/core/metrics.h"
#include "routing/metrics_recorder.h"

namespace llmrt::core {
namespace {

using std::chrono::milliseconds;

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TEST(MetricsRecorder, CountsCallsOutcomesAndEvents) {
  MetricsRecorder recorder("gpt", "openai");
  for (int i = 0; i < 4; ++i) recorder.call_started();
  recorder.call_succeeded(milliseconds(20), std::nullopt,
                          Usage{.prompt_tokens = 100,
                                .completion_tokens = 30,
                                .total_tokens = 130,
                                .cache_read_tokens = 40,
                                .cache_write_tokens = 5,
                                .reasoning_tokens = 10},
                          0.25);
  recorder.call_succeeded(milliseconds(40), milliseconds(7),
                          Usage{.prompt_tokens = 1, .completion_tokens = 2, .total_tokens = 3},
                          std::nullopt);
  recorder.call_failed(ErrorKind::server);
  recorder.call_failed(ErrorKind::server);
  recorder.call_failed(ErrorKind::rate_limited);
  recorder.retried();
  recorder.retried();
  recorder.fell_back();
  recorder.cooled_down();

  DeploymentMetrics m = recorder.snapshot(3, true);
  EXPECT_EQ(m.model, "gpt");
  EXPECT_EQ(m.provider, "openai");
  EXPECT_EQ(m.calls, 4u);
  EXPECT_EQ(m.succeeded, 2u);
  EXPECT_EQ(m.errors, (std::map<ErrorKind, std::uint64_t>{{ErrorKind::rate_limited, 1},
                                                          {ErrorKind::server, 2}}));
  EXPECT_EQ(m.retries, 2u);
  EXPECT_EQ(m.fallbacks, 1u);
  EXPECT_EQ(m.cooldowns, 1u);
  EXPECT_EQ(m.prompt_tokens, 101);
  EXPECT_EQ(m.completion_tokens, 32);
  EXPECT_EQ(m.cache_read_tokens, 40);
  EXPECT_EQ(m.cache_write_tokens, 5);
  EXPECT_EQ(m.reasoning_tokens, 10);
  EXPECT_DOUBLE_EQ(m.cost, 0.25);  // the unpriced call adds nothing
  EXPECT_EQ(m.latency.count, 2u);
  EXPECT_DOUBLE_EQ(m.latency.sum, 0.06);
  EXPECT_EQ(m.time_to_first_token.count, 1u);  // only the call that had one
  EXPECT_EQ(m.in_flight, 3);
  EXPECT_TRUE(m.cooling);
  EXPECT_FALSE(recorder.snapshot(0, false).cooling);
}

TEST(MetricsRecorder, BucketsRunFromFiveMillisecondsToFiveMinutes) {
  const std::vector<double>& bounds = latency_buckets();
  ASSERT_GE(bounds.size(), 10u);
  EXPECT_DOUBLE_EQ(bounds.front(), 0.005);
  EXPECT_DOUBLE_EQ(bounds.back(), 300);
  EXPECT_TRUE(std::is_sorted(bounds.begin(), bounds.end()));
  EXPECT_EQ(std::adjacent_find(bounds.begin(), bounds.end()), bounds.end());
}

TEST(MetricsRecorder, AnObservationCountsInTheFirstBucketItDoesNotExceed) {
  MetricsRecorder recorder("m", "p");
  const std::vector<double>& bounds = latency_buckets();
  auto bucket_of = [&](double seconds) {
    return static_cast<std::size_t>(std::lower_bound(bounds.begin(), bounds.end(), seconds) -
                                    bounds.begin());
  };
  recorder.call_succeeded(milliseconds(5), milliseconds(1), std::nullopt, std::nullopt);  // on
  recorder.call_succeeded(milliseconds(6), milliseconds(400'000), std::nullopt, std::nullopt);
  recorder.call_succeeded(milliseconds(1500), std::nullopt, std::nullopt, std::nullopt);

  DeploymentMetrics m = recorder.snapshot(0, false);
  ASSERT_EQ(m.latency.bounds, bounds);
  ASSERT_EQ(m.latency.counts.size(), bounds.size() + 1);
  std::vector<std::uint64_t> latency(bounds.size() + 1);
  latency[0] = 1;               // 5 ms is at most 0.005
  latency[1] = 1;               // 6 ms is over it
  latency[bucket_of(1.5)] = 1;  // 2.5
  EXPECT_EQ(bounds[bucket_of(1.5)], 2.5);
  EXPECT_EQ(m.latency.counts, latency);

  std::vector<std::uint64_t> first_token(bounds.size() + 1);
  first_token[0] = 1;
  first_token[bounds.size()] = 1;  // 400 s: above every bound
  EXPECT_EQ(m.time_to_first_token.counts, first_token);
  EXPECT_EQ(m.time_to_first_token.count, 2u);
  EXPECT_DOUBLE_EQ(m.time_to_first_token.sum, 400.001);
}

DeploymentMetrics small_deployment() {
  DeploymentMetrics d;
  d.model = "gpt";
  d.provider = "openai";
  d.calls = 5;
  d.succeeded = 3;
  d.errors = {{ErrorKind::server, 1}, {ErrorKind::timeout, 1}};
  d.retries = 2;
  d.fallbacks = 1;
  d.cooldowns = 1;
  d.prompt_tokens = 300;
  d.completion_tokens = 90;
  d.cache_read_tokens = 100;
  d.reasoning_tokens = 20;
  d.cost = 0.00165;
  d.latency = Histogram{.bounds = {0.1, 1}, .counts = {1, 2, 0}, .count = 3, .sum = 1.25};
  d.time_to_first_token = Histogram{.bounds = {0.1, 1}, .counts = {0, 0, 1}, .count = 1, .sum = 2};
  d.in_flight = 2;
  d.cooling = true;
  return d;
}

TEST(Prometheus, TextOfASmallSnapshot) {
  const std::string expected =
      R"(# HELP llmrt_calls_total Calls that reached the deployment (a retry is not a call).
# TYPE llmrt_calls_total counter
llmrt_calls_total{model="gpt",provider="openai"} 5
# HELP llmrt_errors_total Calls the deployment failed, by error kind.
# TYPE llmrt_errors_total counter
llmrt_errors_total{model="gpt",provider="openai",kind="server"} 1
llmrt_errors_total{model="gpt",provider="openai",kind="timeout"} 1
# HELP llmrt_retries_total Attempts after the first on the deployment.
# TYPE llmrt_retries_total counter
llmrt_retries_total{model="gpt",provider="openai"} 2
# HELP llmrt_fallbacks_total Calls that left the deployment for another.
# TYPE llmrt_fallbacks_total counter
llmrt_fallbacks_total{model="gpt",provider="openai"} 1
# HELP llmrt_cooldowns_total Times the deployment was taken out of rotation for failing.
# TYPE llmrt_cooldowns_total counter
llmrt_cooldowns_total{model="gpt",provider="openai"} 1
# HELP llmrt_tokens_total Tokens the deployment reported; cache_read and cache_write are part of prompt, reasoning part of completion.
# TYPE llmrt_tokens_total counter
llmrt_tokens_total{model="gpt",provider="openai",type="prompt"} 300
llmrt_tokens_total{model="gpt",provider="openai",type="completion"} 90
llmrt_tokens_total{model="gpt",provider="openai",type="cache_read"} 100
llmrt_tokens_total{model="gpt",provider="openai",type="cache_write"} 0
llmrt_tokens_total{model="gpt",provider="openai",type="reasoning"} 20
# HELP llmrt_cost_total What the deployment's calls cost by its configured price.
# TYPE llmrt_cost_total counter
llmrt_cost_total{model="gpt",provider="openai"} 0.00165
# HELP llmrt_in_flight Calls on the deployment now.
# TYPE llmrt_in_flight gauge
llmrt_in_flight{model="gpt",provider="openai"} 2
# HELP llmrt_cooling 1 while the deployment is out of rotation, else 0.
# TYPE llmrt_cooling gauge
llmrt_cooling{model="gpt",provider="openai"} 1
# HELP llmrt_latency_seconds Duration of the deployment's successful calls.
# TYPE llmrt_latency_seconds histogram
llmrt_latency_seconds_bucket{model="gpt",provider="openai",le="0.1"} 1
llmrt_latency_seconds_bucket{model="gpt",provider="openai",le="1"} 3
llmrt_latency_seconds_bucket{model="gpt",provider="openai",le="+Inf"} 3
llmrt_latency_seconds_sum{model="gpt",provider="openai"} 1.25
llmrt_latency_seconds_count{model="gpt",provider="openai"} 3
# HELP llmrt_time_to_first_token_seconds Time until the first event of the deployment's successful streamed calls.
# TYPE llmrt_time_to_first_token_seconds histogram
llmrt_time_to_first_token_seconds_bucket{model="gpt",provider="openai",le="0.1"} 0
llmrt_time_to_first_token_seconds_bucket{model="gpt",provider="openai",le="1"} 0
llmrt_time_to_first_token_seconds_bucket{model="gpt",provider="openai",le="+Inf"} 1
llmrt_time_to_first_token_seconds_sum{model="gpt",provider="openai"} 2
llmrt_time_to_first_token_seconds_count{model="gpt",provider="openai"} 1
)";
  EXPECT_EQ(to_prometheus(MetricsSnapshot{.deployments = {small_deployment()}}), expected);
}

TEST(Prometheus, EachFamilyIsDescribedOnceForAllDeployments) {
  DeploymentMetrics other = small_deployment();
  other.model = "claude";
  other.provider = "anthropic";
  const std::string text =
      to_prometheus(MetricsSnapshot{.deployments = {small_deployment(), other}});
  EXPECT_EQ(occurrences(text, "# TYPE llmrt_calls_total counter\n"), 1u);
  EXPECT_EQ(occurrences(text, "# HELP llmrt_latency_seconds "), 1u);
  EXPECT_EQ(occurrences(text, "llmrt_calls_total{"), 2u);
  EXPECT_NE(text.find("llmrt_calls_total{model=\"gpt\",provider=\"openai\"} 5\n"
                      "llmrt_calls_total{model=\"claude\",provider=\"anthropic\"} 5\n"),
            std::string::npos);
}

TEST(Prometheus, LabelValuesEscapeBackslashQuoteAndNewline) {
  DeploymentMetrics d;
  d.model = "a\\b\"c\nd";
  d.provider = "p";
  d.calls = 1;
  const std::string text = to_prometheus(MetricsSnapshot{.deployments = {d}});
  EXPECT_NE(text.find("llmrt_calls_total{model=\"a\\\\b\\\"c\\nd\",provider=\"p\"} 1\n"),
            std::string::npos)
      << text;
  // No raw line feed inside a sample: every line is a comment or a whole sample.
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    EXPECT_TRUE(line.starts_with("# ") || line.starts_with("llmrt_")) << line;
    start = end + 1;
  }
}

TEST(Prometheus, AnEmptySnapshotStillDescribesItsFamilies) {
  const std::string text = to_prometheus(MetricsSnapshot{});
  EXPECT_EQ(occurrences(text, "# TYPE "), 11u);
  EXPECT_EQ(occurrences(text, "\nllmrt_"), 0u);
}

}  // namespace
}  // namespace llmrt::core
