// Latency under load, as gateway benchmarks report it: N callers each sending chats back to
// back for a fixed time, every call timed; the rate achieved and its p50 and p99.
#include <thread>

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

}  // namespace

std::vector<Workload> load_workloads() {
  std::vector<Workload> list;
  // A captureless lambda per level: Workload holds a plain function pointer.
  list.push_back(
      {"load_c1", "1 caller for 2 s", [](const std::string& u) { return under_load(u, 1); }});
  list.push_back({"load_c2", "2 callers", [](const std::string& u) { return under_load(u, 2); }});
  list.push_back({"load_c4", "4 callers", [](const std::string& u) { return under_load(u, 4); }});
  list.push_back({"load_c8", "8 callers", [](const std::string& u) { return under_load(u, 8); }});
  list.push_back(
      {"load_c16", "16 callers", [](const std::string& u) { return under_load(u, 16); }});
  list.push_back(
      {"load_c32", "32 callers", [](const std::string& u) { return under_load(u, 32); }});
  list.push_back(
      {"load_c64", "64 callers", [](const std::string& u) { return under_load(u, 64); }});
  return list;
}

}  // namespace llmrt::bench
