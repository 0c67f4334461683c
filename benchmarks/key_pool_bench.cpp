// The key pool under contention: every call of every thread takes a key.
#include <benchmark/benchmark.h>

#include "llmrt/core/key_pool.h"

namespace llmrt::bench {
namespace {

core::KeyPool& pool() {
  static core::KeyPool keys({"sk-a-0001", "sk-b-0002", "sk-c-0003", "sk-d-0004"}, {"org-1"}, "X");
  return keys;
}

void BM_KeyPoolAcquire(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(pool().acquire());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KeyPoolAcquire)->Threads(1)->Threads(4)->Threads(20)->UseRealTime();

}  // namespace
}  // namespace llmrt::bench
