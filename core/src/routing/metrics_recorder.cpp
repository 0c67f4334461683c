#include "routing/metrics_recorder.h"

#include <algorithm>
#include <limits>

namespace llmrt::core {
namespace {

// A count the provider reported, added without overflow: a hostile server may report 2^53
// tokens a reply, and a thousand of those would overflow the sum. A negative count adds nothing.
void add_tokens(long long& total, long long reported) {
  if (reported <= 0) return;
  total = reported > std::numeric_limits<long long>::max() - total
              ? std::numeric_limits<long long>::max()
              : total + reported;
}

Histogram empty_histogram() {
  const std::vector<double>& bounds = latency_buckets();
  return Histogram{.bounds = bounds, .counts = std::vector<std::uint64_t>(bounds.size() + 1)};
}

void observe(Histogram& histogram, MetricsRecorder::Duration duration) {
  const double seconds = std::chrono::duration<double>(duration).count();
  // The first bound the value does not exceed: Prometheus buckets hold values "le" their bound.
  auto bound = std::lower_bound(histogram.bounds.begin(), histogram.bounds.end(), seconds);
  ++histogram.counts[static_cast<std::size_t>(bound - histogram.bounds.begin())];
  ++histogram.count;
  histogram.sum += seconds;
}

}  // namespace

const std::vector<double>& latency_buckets() {
  // From a cached local reply to a long reasoning call that hits the default timeout; the
  // 1-2.5-5 steps of Prometheus' own defaults, carried on to minutes.
  static const std::vector<double> kBounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                           2.5,   5,    10,    30,   60,  120,  300};
  return kBounds;
}

MetricsRecorder::MetricsRecorder(std::string model, std::string provider) {
  metrics_.model = std::move(model);
  metrics_.provider = std::move(provider);
  metrics_.latency = empty_histogram();
  metrics_.time_to_first_token = empty_histogram();
}

void MetricsRecorder::call_started() {
  std::lock_guard lock(mutex_);
  ++metrics_.calls;
}

void MetricsRecorder::call_succeeded(Duration latency, std::optional<Duration> time_to_first_token,
                                     const std::optional<Usage>& usage,
                                     std::optional<double> cost) {
  std::lock_guard lock(mutex_);
  ++metrics_.succeeded;
  observe(metrics_.latency, latency);
  if (time_to_first_token) observe(metrics_.time_to_first_token, *time_to_first_token);
  if (usage) {
    add_tokens(metrics_.prompt_tokens, usage->prompt_tokens);
    add_tokens(metrics_.completion_tokens, usage->completion_tokens);
    add_tokens(metrics_.cache_read_tokens, usage->cache_read_tokens);
    add_tokens(metrics_.cache_write_tokens, usage->cache_write_tokens);
    add_tokens(metrics_.reasoning_tokens, usage->reasoning_tokens);
  }
  if (cost) metrics_.cost += *cost;
}

void MetricsRecorder::call_failed(ErrorKind kind) {
  std::lock_guard lock(mutex_);
  ++metrics_.errors[kind];
}

void MetricsRecorder::retried() {
  std::lock_guard lock(mutex_);
  ++metrics_.retries;
}

void MetricsRecorder::fell_back() {
  std::lock_guard lock(mutex_);
  ++metrics_.fallbacks;
}

void MetricsRecorder::cooled_down() {
  std::lock_guard lock(mutex_);
  ++metrics_.cooldowns;
}

DeploymentMetrics MetricsRecorder::snapshot(int in_flight, bool cooling) const {
  std::lock_guard lock(mutex_);
  DeploymentMetrics copy = metrics_;
  copy.in_flight = in_flight;
  copy.cooling = cooling;
  return copy;
}

}  // namespace llmrt::core
