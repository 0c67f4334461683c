// The end-to-end workloads of the performance issue, each measured around the calls alone.
#include "workloads.h"

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <stdexcept>

#include "llmrt/core/runtime.h"

namespace llmrt::bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds(const timeval& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

double cpu_now() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

double system_now() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return seconds(u.ru_stime);
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

core::ChatModel model_for(const std::string& base_url) {
  static core::Runtime runtime;  // the installed or build-tree plugins
  core::ModelConfig c;
  c.model = "bench-model";
  c.api_base = base_url + "/v1";
  c.keys = {"sk-bench-key"};
  c.retry.max_retries = 0;  // a failure must show up as an error, not be hidden by a retry
  return runtime.model(c);
}

core::ParamOverrides mock(const std::string& json) {
  return core::ParamOverrides().set_json("mock", json);
}

const std::vector<Message> kQuestion{{.role = "user", .content = "How fast is llmrt?"}};

// Runs `body` between two readings of the clock and of the CPU time.
template <class Body>
Measurement measure(const char* name, const char* unit, Body&& body) {
  Measurement m;
  m.workload = name;
  m.unit = unit;
  double cpu = cpu_now();
  double system = system_now();
  auto start = Clock::now();
  body(m);
  m.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  m.cpu_seconds = cpu_now() - cpu;
  m.system_seconds = system_now() - system;
  m.peak_rss_mb = peak_rss_mb();
  return m;
}

Measurement chat_requests(const std::string& url, const char* name, std::size_t concurrency) {
  core::ChatModel model = model_for(url);
  model.chat(kQuestion, mock(R"({"chunks":16})"));  // connect once before measuring
  std::vector<core::BatchItem> items(2000, core::BatchItem{kQuestion, mock(R"({"chunks":16})")});
  return measure(name, "request", [&](Measurement& m) {
    for (const core::BatchOutcome& o : model.chat_batch(items, {.concurrency = concurrency})) {
      m.errors += !o.ok();
    }
    m.units = static_cast<double>(items.size());
  });
}

Measurement one_stream(const std::string& url, const char* name, int chunks) {
  core::ChatModel model = model_for(url);
  model.chat(kQuestion, mock(R"({"chunks":16})"));
  auto params = mock(R"({"chunks":)" + std::to_string(chunks) + R"(,"events_per_flush":64})");
  return measure(name, "chunk", [&](Measurement& m) {
    try {
      for (const core::StreamChunk& chunk : model.stream_chat(kQuestion, params)) {
        m.units += chunk.status == ModelStatusCode::STREAM_ING;
      }
    } catch (const Error&) {
      ++m.errors;
    }
  });
}

Measurement concurrent_streams(const std::string& url, const char* name, int streams, int chunks) {
  core::ChatModel model = model_for(url);
  auto params = mock(R"({"chunks":)" + std::to_string(chunks) + R"(,"events_per_flush":16})");
  return measure(name, "chunk", [&](Measurement& m) {
    std::atomic<long long> received{0};
    std::vector<core::StreamHandle> handles;
    handles.reserve(static_cast<std::size_t>(streams));
    for (int i = 0; i < streams; ++i) {
      handles.push_back(model.stream_chat_async(kQuestion, params, [&](const StreamEvent& e) {
        if (std::holds_alternative<ContentDelta>(e))
          received.fetch_add(1, std::memory_order_relaxed);
      }));
    }
    for (core::StreamHandle& h : handles) {
      try {
        h.wait();
      } catch (const Error&) {
        ++m.errors;
      }
    }
    m.units = static_cast<double>(received.load());
  });
}

Measurement plugin_load(const std::string& url) {
  return measure("plugins_and_first_request", "run", [&](Measurement& m) {
    core::Runtime runtime;
    core::ModelConfig c;
    c.model = "bench-model";
    c.api_base = url + "/v1";
    c.keys = {"sk-bench-key"};
    core::ChatModel model = runtime.model(c);
    HttpRequest first = model.provider().build_request(model.prepare(kQuestion, {}, true),
                                                       Credentials{"sk-bench-key", ""});
    m.units = runtime.plugins().plugins().size() >= 3 && !first.body.empty() ? 1 : 0;
    m.errors = m.units == 0;
  });
}

}  // namespace

const std::vector<Workload>& workloads() {
  static const std::vector<Workload> all{
      {"plugins_and_first_request", "load the three plugins and build the first request",
       [](const std::string& url) { return plugin_load(url); }},
      {"chat_c1", "2,000 non-streamed chats, 16-token replies, one at a time",
       [](const std::string& url) { return chat_requests(url, "chat_c1", 1); }},
      {"chat_c20", "2,000 non-streamed chats, 16-token replies, 20 at a time",
       [](const std::string& url) { return chat_requests(url, "chat_c20", 20); }},
      {"stream_10k", "one stream of 10,000 chunks",
       [](const std::string& url) { return one_stream(url, "stream_10k", 10'000); }},
      {"stream_100k", "one stream of 100,000 chunks",
       [](const std::string& url) { return one_stream(url, "stream_100k", 100'000); }},
      {"streams_20x5k", "twenty concurrent streams of 5,000 chunks",
       [](const std::string& url) { return concurrent_streams(url, "streams_20x5k", 20, 5000); }},
      {"streams_1000x200", "1,000 concurrent streams of 200 chunks",
       [](const std::string& url) {
         return concurrent_streams(url, "streams_1000x200", 1000, 200);
       }},
      {"streams_5000x200", "5,000 concurrent streams of 200 chunks",
       [](const std::string& url) {
         return concurrent_streams(url, "streams_5000x200", 5000, 200);
       }},
  };
  return all;
}

}  // namespace llmrt::bench
