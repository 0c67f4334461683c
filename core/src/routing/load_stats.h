#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <utility>

namespace llmrt::core {

// What the least_busy and lowest_latency strategies read: calls in flight, and moving averages
// of recent latency (whole calls) and time to first token (streams). Thread-safe.
class LoadStats {
 public:
  using Duration = std::chrono::steady_clock::duration;

  // Marks one call in flight for as long as it lives.
  class InFlight {
   public:
    explicit InFlight(LoadStats& stats) : stats_(&stats) { stats_->in_flight_.fetch_add(1); }
    InFlight(InFlight&& other) noexcept : stats_(std::exchange(other.stats_, nullptr)) {}
    InFlight& operator=(InFlight&&) = delete;
    ~InFlight() {
      if (stats_ != nullptr) stats_->in_flight_.fetch_sub(1);
    }

   private:
    LoadStats* stats_;
  };

  int in_flight() const noexcept { return in_flight_.load(std::memory_order_relaxed); }

  void record(Duration latency, bool streamed);
  // The moving average for calls of this kind; null before the first measurement.
  std::optional<double> average_seconds(bool streamed) const;

 private:
  std::atomic<int> in_flight_{0};
  mutable std::mutex mutex_;
  std::optional<double> whole_;
  std::optional<double> first_token_;
};

}  // namespace llmrt::core
