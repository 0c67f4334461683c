// Decoding cost per streamed chunk: the SSE layers alone, and the openai plugin's whole
// decoder (SSE + JSON + events), on realistic ~230-byte chat chunks fed in 16 KiB reads.
#include <benchmark/benchmark.h>

#include "llmrt/core/plugin_registry.h"
#include "llmrt/sdk/sse.h"

namespace {

std::string chunk_body(int chunks) {
  std::string body;
  for (int i = 0; i < chunks; ++i) {
    body +=
        R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1727346168,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"word )" +
        std::to_string(i % 100) +
        R"("},"logprobs":null,"finish_reason":null}]})"
        "\n\n";
  }
  return body + "data: [DONE]\n\n";
}

constexpr int kChunks = 10000;
constexpr std::size_t kRead = 16 * 1024;

void BM_SseDecode(benchmark::State& state) {
  const std::string body = chunk_body(kChunks);
  for (auto _ : state) {
    llmrt::SseDecoder decoder;
    std::size_t events = 0;
    auto count = [&](const llmrt::SseEvent& e) { events += e.data.size() > 0; };
    for (std::size_t at = 0; at < body.size(); at += kRead) {
      decoder.feed(std::string_view(body).substr(at, kRead), count);
    }
    decoder.finish(count);
    benchmark::DoNotOptimize(events);
  }
  state.SetItemsProcessed(state.iterations() * kChunks);
  state.SetBytesProcessed(state.iterations() * static_cast<long long>(body.size()));
}
BENCHMARK(BM_SseDecode);

void BM_OpenAiStreamDecode(benchmark::State& state) {
  llmrt::core::PluginRegistry registry;
  registry.load_directory(LLMRT_BENCH_PLUGIN_DIR);
  auto provider = registry.get_provider("openai");
  const std::string body = chunk_body(kChunks);
  std::vector<llmrt::StreamEvent> events;
  for (auto _ : state) {
    auto decoder = provider->new_stream_decoder(llmrt::ChatRequest{}, {});
    for (std::size_t at = 0; at < body.size(); at += kRead) {
      decoder->feed(std::string_view(body).substr(at, kRead), events);
      events.clear();
    }
    decoder->finish(events);
    events.clear();
  }
  state.SetItemsProcessed(state.iterations() * kChunks);
  state.SetBytesProcessed(state.iterations() * static_cast<long long>(body.size()));
}
BENCHMARK(BM_OpenAiStreamDecode);

}  // namespace

BENCHMARK_MAIN();
