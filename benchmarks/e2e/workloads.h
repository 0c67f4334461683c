#pragma once

#include <string>
#include <utility>
#include <vector>

namespace llmrt::bench {

// What one workload measured, in its own process.
struct Measurement {
  std::string workload;
  double units = 0;  // requests or chunks
  std::string unit;  // "request" or "chunk"
  double wall_seconds = 0;
  double cpu_seconds = 0;     // the client's user + system time (getrusage)
  double system_seconds = 0;  // the part spent in the kernel (socket reads and writes)
  double peak_rss_mb = 0;
  int errors = 0;
  // The workload's own figures (latency percentiles, …), printed after the others.
  std::vector<std::pair<std::string, double>> figures;
};

struct Workload {
  std::string name;
  std::string description;
  Measurement (*run)(const std::string& base_url);
};

const std::vector<Workload>& workloads();

}  // namespace llmrt::bench
