// The watchdog as a batch's loops use it: each request arms an alarm for its read timeout and
// disarms it when the head has come, from every loop at once.
#include <benchmark/benchmark.h>

#include <chrono>

#include "http/watchdog.h"

namespace llmrt::bench {
namespace {

void BM_WatchdogArmDisarm(benchmark::State& state) {
  core::Watchdog& watchdog = core::Watchdog::instance();
  const auto when = core::Watchdog::Clock::now() + std::chrono::hours(1);
  for (auto _ : state) {
    watchdog.disarm(watchdog.arm(when, [] {}));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_WatchdogArmDisarm)->Threads(1)->Threads(2)->Threads(4)->Threads(16)->UseRealTime();

}  // namespace
}  // namespace llmrt::bench
