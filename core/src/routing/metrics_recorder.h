#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "llmrt/core/metrics.h"
#include "llmrt/sdk/chat_result.h"

namespace llmrt::core {

// The counters of one deployment, updated by its calls from any thread.
class MetricsRecorder {
 public:
  using Duration = std::chrono::steady_clock::duration;

  MetricsRecorder(std::string model, std::string provider);

  // A call reached the deployment / left it.
  void call_started();
  void call_succeeded(Duration latency, std::optional<Duration> time_to_first_token,
                      const std::optional<Usage>& usage, std::optional<double> cost);
  void call_failed(ErrorKind kind);
  void retried();
  void fell_back();
  void cooled_down();

  // in_flight and cooling are the caller's (the deployment knows them).
  DeploymentMetrics snapshot(int in_flight, bool cooling) const;

 private:
  mutable std::mutex mutex_;
  DeploymentMetrics metrics_;
};

// The buckets both histograms use, in seconds: 5 ms to 5 minutes.
const std::vector<double>& latency_buckets();

}  // namespace llmrt::core
