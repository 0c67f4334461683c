#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "workloads.h"

namespace llmrt::bench {

using Clock = std::chrono::steady_clock;

inline double seconds(const timeval& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

inline rusage usage_now() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u;
}

inline double micros(Clock::duration d) {
  return std::chrono::duration<double, std::micro>(d).count();
}

// Runs `body` between two readings of the clock and of the CPU time.
template <class Body>
Measurement measure(const std::string& name, const char* unit, Body&& body) {
  Measurement m;
  m.workload = name;
  m.unit = unit;
  const rusage before = usage_now();
  const auto start = Clock::now();
  body(m);
  m.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const rusage after = usage_now();
  m.cpu_seconds = seconds(after.ru_utime) + seconds(after.ru_stime) - seconds(before.ru_utime) -
                  seconds(before.ru_stime);
  m.system_seconds = seconds(after.ru_stime) - seconds(before.ru_stime);
  m.peak_rss_mb = static_cast<double>(after.ru_maxrss) / 1024.0;
  // Memory touched for the first time: each a fault into the kernel (and, in a virtual machine
  // with shadow page tables, into the hypervisor: 10 µs apiece on the benchmark machine).
  m.figures.emplace_back("page_faults", static_cast<double>(after.ru_minflt - before.ru_minflt));
  // Waits the client chose (a blocking read, an epoll_wait with nothing ready) and times the
  // scheduler took a core from it with work left (a woken server thread sharing its core).
  m.figures.emplace_back("voluntary_switches",
                         static_cast<double>(after.ru_nvcsw - before.ru_nvcsw));
  m.figures.emplace_back("involuntary_switches",
                         static_cast<double>(after.ru_nivcsw - before.ru_nivcsw));
  return m;
}

// The p-th percentile (0–100) of `samples`, nearest rank; 0 when there are none.
inline double percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  const auto rank =
      static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(samples.size())));
  const std::size_t at = std::clamp<std::size_t>(rank, 1, samples.size()) - 1;
  std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(at),
                   samples.end());
  return samples[at];
}

// p50 and p99 of `samples` (µs) as figures named `prefix`p50_us and `prefix`p99_us.
inline void add_percentiles(Measurement& m, const std::string& prefix,
                            const std::vector<double>& samples) {
  m.figures.emplace_back(prefix + "p50_us", percentile(samples, 50));
  m.figures.emplace_back(prefix + "p99_us", percentile(samples, 99));
}

}  // namespace llmrt::bench
