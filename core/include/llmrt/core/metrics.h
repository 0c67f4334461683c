#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "llmrt/sdk/error.h"

namespace llmrt::core {

// Observations in buckets, as Prometheus keeps them: counts[i] is the number of observations
// at most bounds[i] seconds (not cumulative here; the text format adds them up), and the last
// count those above every bound.
struct Histogram {
  std::vector<double> bounds{};         // seconds, ascending
  std::vector<std::uint64_t> counts{};  // bounds.size() + 1
  std::uint64_t count = 0;
  double sum = 0;  // seconds
};

// One deployment (a configured model) as its calls went so far.
struct DeploymentMetrics {
  std::string model{};                          // its name in the configuration
  std::string provider{};                       // the plugin
  std::uint64_t calls = 0;                      // calls that reached it (a retry is not a call)
  std::uint64_t succeeded = 0;                  // of those, the ones it answered
  std::map<ErrorKind, std::uint64_t> errors{};  // of those, the ones it failed, by kind
  std::uint64_t retries = 0;                    // attempts after the first, on this deployment
  std::uint64_t fallbacks = 0;                  // calls that left it for another deployment
  std::uint64_t cooldowns = 0;                  // times it was taken out of rotation for failing
  long long prompt_tokens = 0;
  long long completion_tokens = 0;
  long long cache_read_tokens = 0;
  long long cache_write_tokens = 0;
  long long reasoning_tokens = 0;
  double cost = 0;                  // by its configured price; 0 without one
  Histogram latency{};              // whole call, per successful call
  Histogram time_to_first_token{};  // streamed calls: until the first delivered event
  int in_flight = 0;
  bool cooling = false;
};

struct MetricsSnapshot {
  std::vector<DeploymentMetrics> deployments{};  // by model name
};

// The snapshot in the Prometheus text exposition format (version 0.0.4): llmrt_calls_total,
// llmrt_errors_total{kind}, llmrt_retries_total, llmrt_fallbacks_total, llmrt_cooldowns_total,
// llmrt_tokens_total{type}, llmrt_cost_total, llmrt_in_flight, llmrt_cooling, and the
// llmrt_latency_seconds and llmrt_time_to_first_token_seconds histograms; every series labelled
// with model and provider.
std::string to_prometheus(const MetricsSnapshot& snapshot);

}  // namespace llmrt::core
