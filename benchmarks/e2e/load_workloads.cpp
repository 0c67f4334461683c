// Latency under load, as gateway benchmarks report it: N callers each sending chats back to
// back for a fixed time, every call timed; the rate achieved and its p50 and p99.
#include <thread>
#include <utility>

#include "bench_model.h"
#include "measure.h"

namespace llmrt::bench {
namespace {

constexpr std::chrono::seconds kDuration{2};

Measurement under_load(const std::string& url, int callers) {
  core::ChatModel model = model_for(url);
  const auto params = mock(R"({"chunks":16})");
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(callers));
  std::vector<int> errors(static_cast<std::size_t>(callers));
  Measurement m = measure("load_c" + std::to_string(callers), "request", [&](Measurement& r) {
    const auto end = Clock::now() + kDuration;
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < latencies.size(); ++t) {
      threads.emplace_back([&, t] {
        latencies[t].reserve(100'000);
        for (auto start = Clock::now(); start < end; start = Clock::now()) {
          try {
            model.chat(question(), params);
          } catch (const Error&) {
            ++errors[t];
          }
          latencies[t].push_back(micros(Clock::now() - start));
        }
      });
    }
    for (std::thread& t : threads) t.join();
    for (std::size_t t = 0; t < latencies.size(); ++t) {
      r.units += static_cast<double>(latencies[t].size());
      r.errors += errors[t];
    }
  });
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  add_percentiles(m, "", all);
  return m;
}

// Workload holds a plain function pointer: one instance per level.
template <int Callers>
Measurement at_level(const std::string& url) {
  return under_load(url, Callers);
}

template <int... Levels>
std::vector<Workload> load_levels(std::integer_sequence<int, Levels...>) {
  return {Workload{"load_c" + std::to_string(Levels),
                   std::to_string(Levels) + " callers for 2 s, every call timed",
                   &at_level<Levels>}...};
}

}  // namespace

std::vector<Workload> load_workloads() {
  return load_levels(std::integer_sequence<int, 1, 2, 4, 8, 16, 32, 64>{});
}

}  // namespace llmrt::bench
