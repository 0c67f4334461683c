// The soak test: 1,000 concurrent streams for a set time against the mock server (its own
// process) with 5 % injected faults. Every call must be accounted for — its whole reply, or an
// error whose partial content is a prefix of the reply — and RSS must stay flat after warm-up.
//   soak_test [SECONDS] [STREAMS]        (default 300 s, 1,000 streams)
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "llmrt/core/runtime.h"
#include "llmrt/mock/scenario.h"
#include "mock_process.h"

namespace {

using Clock = std::chrono::steady_clock;

double rss_mb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1 << 20);
}

// One call in twenty asks the mock server for a fault.
std::string mock_for(std::mt19937& random) {
  static const char* const kFaults[] = {
      R"({"chunks":40,"status":500})",
      R"({"chunks":40,"status":429,"headers":{"retry-after-ms":"20"}})",
      R"({"chunks":40,"cut_after":5})",
      R"({"chunks":40,"malformed_after":4})",
      R"({"chunks":40,"stream_error":"{\"message\":\"overloaded\",\"type\":\"server_error\"}"})",
      R"({"chunks":40,"stall_ms":50})",
  };
  if (random() % 20 != 0) return R"({"chunks":40,"events_per_flush":8})";
  return kFaults[random() % std::size(kFaults)];
}

}  // namespace

int main(int argc, char** argv) {
  const int seconds = argc > 1 ? std::atoi(argv[1]) : 300;
  const int streams = argc > 2 ? std::atoi(argv[2]) : 1000;
  llmrt::bench::MockProcess server(LLMRT_BENCH_CLI);
  llmrt::core::Runtime runtime;
  llmrt::core::ModelConfig config;
  config.model = "soak-model";
  config.api_base = server.url() + "/v1";
  config.keys = {"sk-soak-1", "sk-soak-2"};
  config.transport.read_timeout = std::chrono::seconds(30);
  llmrt::core::ChatModel model = runtime.model(config);
  llmrt::mock::Scenario reference;  // what every call asks for, faults aside
  reference.chunks = 40;
  const std::string full = reference.full_content();

  std::atomic<long long> calls{0}, completed{0}, unaccounted{0};
  std::mutex kinds_mutex;
  std::map<std::string, long long> errors_by_kind;
  const auto end = Clock::now() + std::chrono::seconds(seconds);
  std::vector<std::thread> workers;
  for (int t = 0; t < streams; ++t) {
    workers.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t) * 7919u + 1);
      while (Clock::now() < end) {
        ++calls;
        try {
          auto params = llmrt::core::ParamOverrides().set_json("mock", mock_for(random));
          std::string text;
          for (const auto& chunk :
               model.stream_chat({{.role = "user", .content = "soak"}}, params)) {
            text += chunk.delta;
          }
          if (text == full) {
            ++completed;
          } else {
            ++unaccounted;
          }
        } catch (const llmrt::Error& e) {
          // Nothing lost: what arrived before the failure is a prefix of the reply.
          if (full.compare(0, e.partial_content().size(), e.partial_content()) != 0) ++unaccounted;
          std::lock_guard lock(kinds_mutex);
          ++errors_by_kind[std::string(llmrt::to_string(e.kind()))];
        }
      }
    });
  }
  // RSS every 10 s; the first 30 s are warm-up.
  std::vector<double> samples;
  while (Clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::seconds(10));
    samples.push_back(rss_mb());
    std::printf("t=%3zus calls=%lld rss=%.1f MB\n", samples.size() * 10, calls.load(),
                samples.back());
    std::fflush(stdout);
  }
  for (std::thread& w : workers) w.join();

  double after_warmup = samples.size() > 3 ? samples[2] : samples.front();
  double last = samples.back();
  std::printf("\nsoak: %d s, %d concurrent streams\n", seconds, streams);
  std::printf("calls %lld: %lld complete, %lld errors", calls.load(), completed.load(),
              calls.load() - completed.load() - unaccounted.load());
  for (const auto& [kind, count] : errors_by_kind) std::printf(", %s %lld", kind.c_str(), count);
  std::printf("\nunaccounted calls: %lld\n", unaccounted.load());
  std::printf("RSS after warm-up %.1f MB, at the end %.1f MB (%+.1f %%)\n", after_warmup, last,
              100.0 * (last - after_warmup) / after_warmup);
  bool flat = last <= after_warmup * 1.2 + 8;  // allowance for allocator noise
  return unaccounted.load() == 0 && flat ? 0 : 1;
}
