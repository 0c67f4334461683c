// Rendering requests: the meta template, parameter overrides and each plugin's request body.
#include <benchmark/benchmark.h>

#include "bench_plugins.h"
#include "llmrt/core/meta_template.h"
#include "llmrt/core/param_overrides.h"

namespace llmrt::bench {
namespace {

std::vector<Message> conversation() {
  return {{.role = "system", .content = "You are a helpful assistant that answers briefly."},
          {.role = "user", .content = "What is the capital of France?"},
          {.role = "assistant", .content = "Paris."},
          {.role = "environment", .content = "search results: Paris is the capital of France"},
          {.role = "user", .content = "And of Germany?"}};
}

void BM_MetaTemplateApply(benchmark::State& state) {
  core::MetaTemplate t = core::MetaTemplate::default_template();
  std::vector<Message> messages = conversation();
  for (auto _ : state) benchmark::DoNotOptimize(t.apply(messages));
  state.SetItemsProcessed(state.iterations() * static_cast<long long>(messages.size()));
}
BENCHMARK(BM_MetaTemplateApply);

void BM_ParamOverridesApply(benchmark::State& state) {
  core::ParamOverrides o;
  o.set("temperature", 0.2).set("max_new_tokens", 256).set("stop_words", "END");
  for (auto _ : state) benchmark::DoNotOptimize(o.apply(GenParams{}));
}
BENCHMARK(BM_ParamOverridesApply);

void build_with(benchmark::State& state, const char* plugin, bool stream) {
  auto provider = plugins().get_provider(plugin);
  ChatRequest request;
  request.model = "model";
  request.api_base = "http://127.0.0.1:1/v1";
  request.messages = core::MetaTemplate::default_template().apply(conversation());
  request.params.stop_words = {"END"};
  request.stream = stream;
  Credentials credentials{"sk-0123456789abcdef", ""};
  for (auto _ : state) benchmark::DoNotOptimize(provider->build_request(request, credentials));
}

void BM_BuildRequest_OpenAi(benchmark::State& s) { build_with(s, "openai", true); }
void BM_BuildRequest_QwenNative(benchmark::State& s) { build_with(s, "qwen", true); }
void BM_BuildRequest_InternLm(benchmark::State& s) { build_with(s, "internlm", true); }
BENCHMARK(BM_BuildRequest_OpenAi);
BENCHMARK(BM_BuildRequest_QwenNative);
BENCHMARK(BM_BuildRequest_InternLm);

}  // namespace
}  // namespace llmrt::bench
