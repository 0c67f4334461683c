// Decoding cost per streamed chunk: the SSE layers alone, and each plugin's whole decoder
// (framing + JSON + events), on realistic chat chunks fed in 16 KiB reads.
#include <benchmark/benchmark.h>

#include "bench_plugins.h"
#include "llmrt/sdk/sse.h"

namespace llmrt::bench {
namespace {

constexpr int kChunks = 10000;
constexpr std::size_t kRead = 16 * 1024;

// An OpenAI-style body (openai, internlm, qwen's compatible mode): ~200-byte chunks.
std::string openai_body() {
  std::string body;
  for (int i = 0; i < kChunks; ++i) {
    body +=
        R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1727346168,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"word )" +
        std::to_string(i % 100) +
        R"("},"logprobs":null,"finish_reason":null}]})"
        "\n\n";
  }
  return body + "data: [DONE]\n\n";
}

// DashScope's native, incremental: id/event/comment/data per event.
std::string dashscope_body() {
  std::string body;
  for (int i = 0; i < kChunks; ++i) {
    body +=
        "id:" + std::to_string(i + 1) + "\nevent:result\n:HTTP_STATUS/200\n" +
        R"(data:{"output":{"choices":[{"message":{"content":"word )" + std::to_string(i % 100) +
        R"(","role":"assistant"},"finish_reason":"null"}]},"usage":{"input_tokens":92,"output_tokens":)" +
        std::to_string(i + 1) +
        R"(},"request_id":"e2edfd5d-f5c3-958b-b058-f8341b31af05"})"
        "\n\n";
  }
  return body;
}

void report(benchmark::State& state, const std::string& body) {
  state.SetItemsProcessed(state.iterations() * kChunks);
  state.SetBytesProcessed(state.iterations() * static_cast<long long>(body.size()));
}

void BM_SseDecode(benchmark::State& state) {
  const std::string body = openai_body();
  for (auto _ : state) {
    SseDecoder decoder;
    std::size_t events = 0;
    auto count = [&](const SseEvent& e) { events += !e.data.empty(); };
    for (std::size_t at = 0; at < body.size(); at += kRead) {
      decoder.feed(std::string_view(body).substr(at, kRead), count);
    }
    decoder.finish(count);
    benchmark::DoNotOptimize(events);
  }
  report(state, body);
}
BENCHMARK(BM_SseDecode);

void decode_with(benchmark::State& state, const char* plugin, const std::string& body,
                 ChatRequest request) {
  auto provider = plugins().get_provider(plugin);
  std::vector<StreamEvent> events;
  for (auto _ : state) {
    auto decoder = provider->new_stream_decoder(request, {});
    for (std::size_t at = 0; at < body.size(); at += kRead) {
      decoder->feed(std::string_view(body).substr(at, kRead), events);
      events.clear();
    }
    decoder->finish(events);
    events.clear();
  }
  report(state, body);
}

void BM_OpenAiStreamDecode(benchmark::State& state) {
  decode_with(state, "openai", openai_body(), {});
}
BENCHMARK(BM_OpenAiStreamDecode);

// The same chunks with a top-level "error_code": 0 (FastChat's success marker): the fast
// reader declines them, so each goes through the general JSON path.
void BM_OpenAiGeneralPathStreamDecode(benchmark::State& state) {
  std::string body = openai_body();
  for (std::size_t at = 0; (at = body.find("]}\n", at)) != std::string::npos; at += 3) {
    body.replace(at, 2, R"(],"error_code":0})");
  }
  decode_with(state, "openai", body, {});
}
BENCHMARK(BM_OpenAiGeneralPathStreamDecode);

void BM_InternLmStreamDecode(benchmark::State& state) {
  decode_with(state, "internlm", openai_body(), {});
}
BENCHMARK(BM_InternLmStreamDecode);

void BM_QwenNativeStreamDecode(benchmark::State& state) {
  decode_with(state, "qwen", dashscope_body(), ChatRequest{.stream = true});
}
BENCHMARK(BM_QwenNativeStreamDecode);

// A whole (non-streamed) reply: the general JSON path every plugin's parse_response takes.
// `words` words of content with a few escapes, as a model's answer has them.
std::string completion_body(int words) {
  std::string content;
  for (int i = 0; i < words; ++i) {
    content +=
        "word " + std::to_string(i % 100) + (i % 16 == 15 ? "\\n\\\"quoted\\\" \\u00e9 " : " ");
  }
  return R"({"id":"chatcmpl-1","object":"chat.completion","created":1727346168,"model":"gpt-4o",)"
         R"("choices":[{"index":0,"message":{"role":"assistant","content":")" +
         content +
         R"("},"logprobs":null,"finish_reason":"stop"}],)"
         R"("usage":{"prompt_tokens":92,"completion_tokens":)" +
         std::to_string(words) + R"(,"total_tokens":)" + std::to_string(words + 92) + "}}";
}

std::string dashscope_completion_body(int words) {
  std::string content;
  for (int i = 0; i < words; ++i) content += "word " + std::to_string(i % 100) + " ";
  return R"({"output":{"choices":[{"message":{"content":")" + content +
         R"(","role":"assistant"},"finish_reason":"stop"}]},"usage":{"input_tokens":92,)"
         R"("output_tokens":)" +
         std::to_string(words) + R"(},"request_id":"e2edfd5d-f5c3-958b-b058-f8341b31af05"})";
}

void parse_with(benchmark::State& state, const char* plugin, std::string body) {
  auto provider = plugins().get_provider(plugin);
  const HttpResponse response{200, {}, std::move(body)};
  for (auto _ : state) {
    ChatResult result = provider->parse_response(response);
    benchmark::DoNotOptimize(result.content.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<long long>(response.body.size()));
}

// A short reply (~400 bytes) and a long one (~1 MiB).
void BM_OpenAiParseResponse(benchmark::State& state) {
  parse_with(state, "openai", completion_body(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_OpenAiParseResponse)->Arg(16)->Arg(120000);

void BM_QwenNativeParseResponse(benchmark::State& state) {
  parse_with(state, "qwen", dashscope_completion_body(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_QwenNativeParseResponse)->Arg(16)->Arg(120000);

}  // namespace
}  // namespace llmrt::bench
