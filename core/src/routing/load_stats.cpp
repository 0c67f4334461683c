#include "routing/load_stats.h"

namespace llmrt::core {
namespace {

// The weight of the newest sample: about the last ten calls make the average, so a deployment
// that slowed down loses its place within a few calls, and one slow reply does not.
constexpr double kNewest = 0.2;

}  // namespace

void LoadStats::record(Duration latency, bool streamed) {
  const double seconds = std::chrono::duration<double>(latency).count();
  std::lock_guard lock(mutex_);
  std::optional<double>& average = streamed ? first_token_ : whole_;
  average = average ? *average + kNewest * (seconds - *average) : seconds;
}

std::optional<double> LoadStats::average_seconds(bool streamed) const {
  std::lock_guard lock(mutex_);
  return streamed ? first_token_ : whole_;
}

}  // namespace llmrt::core
