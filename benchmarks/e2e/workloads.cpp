// The end-to-end workloads of the performance issues, each measured around the calls alone:
// throughput and CPU of chats and streams through llmrt's API.
#include "workloads.h"

#include <atomic>
#include <stdexcept>

#include "bench_model.h"
#include "measure.h"

namespace llmrt::bench {

core::ChatModel model_for(const std::string& base_url) {
  static core::Runtime runtime;  // the installed or build-tree plugins
  core::ModelConfig c;
  c.model = "bench-model";
  c.api_base = base_url + "/v1";
  c.keys = {"sk-bench-key"};
  c.retry.max_retries = 0;
  return runtime.model(c);
}

core::ParamOverrides mock(const std::string& json) {
  return core::ParamOverrides().set_json("mock", json);
}

const std::vector<Message>& question() {
  static const std::vector<Message> kQuestion{{.role = "user", .content = "How fast is llmrt?"}};
  return kQuestion;
}

// Long enough (about a second) to be measured in its steady state, as wrk's seconds are: the
// 20 connections and the loop's start are a few hundred microseconds of it.
// With `keep`, chat_batch returns every outcome at the end, as by default; without, each is
// handed to on_item and dropped, as `llmrt batch` writes each out (and as a gateway passes each
// reply on): no outcome is held to the end.
Measurement chat_batch(const std::string& url, const char* name, std::size_t concurrency,
                       std::size_t count, bool keep, std::size_t threads) {
  core::ChatModel model = model_for(url);
  model.chat(question(), mock(R"({"chunks":16})"));
  std::vector<core::BatchItem> items(count, core::BatchItem{question(), mock(R"({"chunks":16})")});
  return measure(name, "request", [&](Measurement& m) {
    core::BatchOptions options{.concurrency = concurrency, .threads = threads};
    if (keep) {
      for (const core::BatchOutcome& o : model.chat_batch(items, options)) m.errors += !o.ok();
    } else {
      options.keep_outcomes = false;
      std::size_t reply_bytes = 0;  // each reply read, as a program that passes it on would
      options.on_item = [&](std::size_t, const core::BatchOutcome& o) {
        m.errors += !o.ok();
        if (o.ok()) reply_bytes += o.result->content.size();
      };
      model.chat_batch(items, options);
      if (reply_bytes == 0) ++m.errors;
    }
    m.units = static_cast<double>(items.size());
  });
}

namespace {

// One at a time, on the caller's thread, each call timed: the rate and the latency a
// sequential caller sees.
Measurement chats_one_at_a_time(const std::string& url) {
  core::ChatModel model = model_for(url);
  const auto params = mock(R"({"chunks":16})");
  model.chat(question(), params);  // connect once before measuring
  std::vector<double> latencies;
  latencies.reserve(2000);
  Measurement m = measure("chat_c1", "request", [&](Measurement& r) {
    for (int i = 0; i < 2000; ++i) {
      const auto start = Clock::now();
      try {
        model.chat(question(), params);
      } catch (const Error&) {
        ++r.errors;
      }
      latencies.push_back(micros(Clock::now() - start));
    }
    r.units = 2000;
  });
  add_percentiles(m, "", latencies);
  return m;
}

Measurement one_stream(const std::string& url, const char* name, int chunks) {
  core::ChatModel model = model_for(url);
  model.chat(question(), mock(R"({"chunks":16})"));
  auto params = mock(R"({"chunks":)" + std::to_string(chunks) + R"(,"events_per_flush":64})");
  return measure(name, "chunk", [&](Measurement& m) {
    try {
      for (const core::StreamChunk& chunk : model.stream_chat(question(), params)) {
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
      handles.push_back(model.stream_chat_async(question(), params, [&](const StreamEvent& e) {
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
    HttpRequest first = model.provider().build_request(model.prepare(question(), {}, true),
                                                       Credentials{"sk-bench-key", ""});
    m.units = runtime.plugins().plugins().size() >= 3 && !first.body.empty() ? 1 : 0;
    m.errors = m.units == 0;
  });
}

}  // namespace

std::vector<Workload> chat_workloads() {
  return {
      {"plugins_and_first_request", "load the three plugins and build the first request",
       [](const std::string& url) { return plugin_load(url); }},
      {"chat_c1", "2,000 non-streamed chats, 16-token replies, one at a time, each timed",
       [](const std::string& url) { return chats_one_at_a_time(url); }},
      {"chat_c20",
       "20,000 non-streamed chats, 16-token replies, 20 at a time (chat_batch), each outcome "
       "handed to on_item and not kept",
       [](const std::string& url) { return chat_batch(url, "chat_c20", 20, 20000, false, 0); }},
      {"chat_c20_kept",
       "chat_c20 with every outcome kept and returned, as chat_batch does by default",
       [](const std::string& url) { return chat_batch(url, "chat_c20_kept", 20, 20000, true, 0); }},
      {"chat_c20_one_loop", "chat_c20 on the calling thread's loop alone (BatchOptions::threads 1)",
       [](const std::string& url) {
         return chat_batch(url, "chat_c20_one_loop", 20, 20000, false, 1);
       }},
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
}

const std::vector<Workload>& workloads() {
  static const std::vector<Workload> all = [] {
    std::vector<Workload> list;
    for (auto part : {chat_workloads, wire_workloads, load_workloads, cli_workloads}) {
      for (Workload& w : part()) list.push_back(std::move(w));
    }
    return list;
  }();
  return all;
}

}  // namespace llmrt::bench
