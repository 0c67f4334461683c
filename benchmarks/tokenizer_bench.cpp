// Encoding throughput of the tokenizer (bytes of input per second, one thread) on kinds of
// text, and its growth with input size on the worst case for BPE: one long piece.
//
// build/bin/tokenizer_bench [--benchmark_filter=…]
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "llmrt/core/tokenizer.h"

namespace {

using llmrt::core::SpecialTokens;
using llmrt::core::Tokenizer;

constexpr std::size_t kTextSize = std::size_t{1} << 20;

std::string read_file(const std::string& relative) {
  std::ifstream in(std::string(LLMRT_BENCH_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string repeat_to(const std::string& unit, std::size_t size) {
  std::string out;
  while (out.size() < size) out += unit;
  return out;
}

const std::string& text_of(const std::string& kind) {
  static const std::map<std::string, std::string> texts = [] {
    std::map<std::string, std::string> t;
    t["english"] = repeat_to(read_file("README.md"), kTextSize);
    t["code"] = repeat_to(read_file("core/src/call.cpp") + read_file("core/src/chat_model.cpp") +
                              read_file("sdk/include/llmrt/sdk/sse.h"),
                          kTextSize);
    t["chinese"] = repeat_to(
        "人工智能正在改变世界，大语言模型尤其如此。我们今天去公园散步，天气非常好。"
        "北京时间二〇二四年一月一日，新年快乐！这是一个测试：包含标点符号、数字123和English混合。",
        kTextSize);
    std::mt19937 random(7);
    std::string letters;
    for (std::size_t i = 0; i < kTextSize; ++i) letters += static_cast<char>('a' + random() % 26);
    t["no-spaces"] = letters;
    return t;
  }();
  return texts.at(kind);
}

void encode_text(benchmark::State& state, const std::string& encoding, const std::string& kind) {
  const auto tokenizer = Tokenizer::get(encoding);
  const std::string& text = text_of(kind);
  std::size_t tokens = 0;
  for (auto _ : state) {
    tokens = tokenizer->encode(text, SpecialTokens::as_text).size();
    benchmark::DoNotOptimize(tokens);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["tokens"] = static_cast<double>(tokens);
}

void count_text(benchmark::State& state, const std::string& encoding, const std::string& kind) {
  const auto tokenizer = Tokenizer::get(encoding);
  const std::string& text = text_of(kind);
  for (auto _ : state) benchmark::DoNotOptimize(tokenizer->count(text, SpecialTokens::as_text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

// One piece of n letters: BPE's cost is in the merging, which must stay ~linear.
void long_piece(benchmark::State& state) {
  const auto tokenizer = Tokenizer::get("o200k_base");
  const std::string text = text_of("no-spaces").substr(0, static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(tokenizer->encode(text, SpecialTokens::as_text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetComplexityN(state.range(0));
}

void chat_sized(benchmark::State& state) {
  // A typical prompt: counting many short texts is dominated by per-call costs.
  const auto tokenizer = Tokenizer::get("o200k_base");
  const std::string text = text_of("english").substr(0, 200);
  for (auto _ : state) benchmark::DoNotOptimize(tokenizer->count(text, SpecialTokens::as_text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void first_load(benchmark::State& state) {
  // What the first use in a process pays: reading and indexing a rank file.
  const auto path = llmrt::core::tokenizer_search_path();
  for (auto _ : state) {
    for (const auto& dir : path) {
      if (std::filesystem::exists(dir / "o200k_base.tiktoken")) {
        benchmark::DoNotOptimize(Tokenizer::load("o200k_base", dir / "o200k_base.tiktoken"));
        break;
      }
    }
  }
}

}  // namespace

BENCHMARK_CAPTURE(encode_text, cl100k_english, "cl100k_base", "english");
BENCHMARK_CAPTURE(encode_text, cl100k_code, "cl100k_base", "code");
BENCHMARK_CAPTURE(encode_text, cl100k_chinese, "cl100k_base", "chinese");
BENCHMARK_CAPTURE(encode_text, o200k_english, "o200k_base", "english");
BENCHMARK_CAPTURE(encode_text, o200k_code, "o200k_base", "code");
BENCHMARK_CAPTURE(encode_text, o200k_chinese, "o200k_base", "chinese");
BENCHMARK_CAPTURE(count_text, o200k_english, "o200k_base", "english");
BENCHMARK(long_piece)->RangeMultiplier(8)->Range(1 << 10, 1 << 19)->Complexity(benchmark::oN);
BENCHMARK(chat_sized);
BENCHMARK(first_load)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
