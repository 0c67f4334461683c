// The wire's own figures, for llmrt to be measured against: a raw client sending llmrt's exact
// request bytes on one keep-alive connection and on twenty from one thread, a minimal stream
// reader, and llmrt's time from the first body byte off the socket to the first delta in the
// caller's hands.
#include <chrono>
#include <optional>
#include <stdexcept>

#include "bench_model.h"
#include "measure.h"
#include "raw_wire.h"
#include "recv_clock.h"

namespace llmrt::bench {
namespace {

struct HostPort {
  std::string host;
  int port = 0;
};

// "http://127.0.0.1:PORT" → its host and port.
HostPort host_port(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t colon = url.rfind(':');
  if (scheme == std::string::npos || colon <= scheme) throw std::runtime_error("bad url " + url);
  return {url.substr(scheme + 3, colon - scheme - 3), std::stoi(url.substr(colon + 1))};
}

// The bytes llmrt sends for `params`, built by the plugin: the same head fields and body.
std::string llmrt_request_bytes(const std::string& url, const core::ParamOverrides& params,
                                bool stream) {
  core::ChatModel model = model_for(url);
  HttpRequest request = model.provider().build_request(model.prepare(question(), params, stream),
                                                       Credentials{"sk-bench-key", ""});
  std::string headers;
  for (const auto& [name, value] : request.headers) headers += name + ": " + value + "\r\n";
  const std::size_t authority = request.url.find("://") + 3;
  const std::size_t path = request.url.find('/', authority);
  return raw_post(request.url.substr(authority, path - authority), request.url.substr(path),
                  headers, request.body);
}

Measurement raw_requests(const std::string& url) {
  const std::string bytes = llmrt_request_bytes(url, mock(R"({"chunks":16})"), false);
  const HostPort at = host_port(url);
  RawWire wire(at.host, at.port);
  wire.exchange(bytes);
  std::vector<double> latencies;
  latencies.reserve(2000);
  Measurement m = measure("raw_c1", "request", [&](Measurement& r) {
    for (int i = 0; i < 2000; ++i) {
      const auto start = Clock::now();
      wire.exchange(bytes);
      latencies.push_back(micros(Clock::now() - start));
    }
    r.units = 2000;
  });
  add_percentiles(m, "", latencies);
  return m;
}

// The added latency, in pairs: a raw exchange and a `chat()` in turn on one thread, the order
// switched every pair, so that both halves of a pair are taken in the same moment. This machine
// wakes a sleeping thread in 30 µs in one minute and in 90 µs the next, and the mock server runs
// each connection on a thread of its own, whose place (the client's core or the other one) moves
// a request's time by more than the call costs. So the two connections are opened anew for every
// block of pairs: the raw client and llmrt each meet many placements, not one each for the run.
Measurement paired_requests(const std::string& url) {
  const auto params = mock(R"({"chunks":16})");
  const std::string bytes = llmrt_request_bytes(url, params, false);
  const HostPort at = host_port(url);
  constexpr int kBlocks = 20;
  constexpr int kPairsPerBlock = 100;
  std::vector<double> raw;
  std::vector<double> chats;
  raw.reserve(kBlocks * kPairsPerBlock);
  chats.reserve(kBlocks * kPairsPerBlock);
  Measurement m = measure("paired_c1", "request", [&](Measurement& r) {
    for (int block = 0; block < kBlocks; ++block) {
      RawWire wire(at.host, at.port);
      core::ChatModel model = model_for(url);
      wire.exchange(bytes);  // connect both before timing
      model.chat(question(), params);
      for (int i = 0; i < kPairsPerBlock; ++i) {
        double raw_us = 0;
        double chat_us = 0;
        bool ok = true;
        auto time_raw = [&] {
          const auto start = Clock::now();
          wire.exchange(bytes);
          raw_us = micros(Clock::now() - start);
        };
        auto time_chat = [&] {
          const auto start = Clock::now();
          try {
            model.chat(question(), params);
          } catch (const Error&) {
            ok = false;
          }
          chat_us = micros(Clock::now() - start);
        };
        if (i % 2 == 0) {
          time_raw();
          time_chat();
        } else {
          time_chat();
          time_raw();
        }
        if (!ok) {
          ++r.errors;  // a failed chat's time is no chat's: the pair is left out
          continue;
        }
        raw.push_back(raw_us);
        chats.push_back(chat_us);
      }
    }
    r.units = static_cast<double>(2 * raw.size());  // both halves; connects included in the time
  });
  add_percentiles(m, "", chats);
  add_percentiles(m, "raw_", raw);
  // Each chat less the raw exchange next to it. Its tail holds the pairs whose halves woke on
  // different cores.
  std::vector<double> differences(chats.size());
  for (std::size_t i = 0; i < chats.size(); ++i) differences[i] = chats[i] - raw[i];
  add_percentiles(m, "pair_difference_", differences);
  return m;
}

// chat_c20's ceiling: its count and concurrency, llmrt's bytes, nothing but the wire.
Measurement raw_concurrent_requests(const std::string& url) {
  const std::string bytes = llmrt_request_bytes(url, mock(R"({"chunks":16})"), false);
  const HostPort at = host_port(url);
  return measure("raw_c20", "request", [&](Measurement& m) {
    raw_concurrent(at.host, at.port, bytes, 20, 20'000);
    m.units = 20'000;
  });
}

// Where llmrt's batch stands among clients that do only the wire plus a known amount of CPU:
// raw_c20 with 0 to 6 µs of busy work after each response, and chat_c20, in turn, five rounds,
// each figure the median rate of its five runs. On two cores shared with the server, a client's
// rate falls with its CPU a request and with when it runs; the curve says how much lighter llmrt
// would have to be for a rate, and llmrt's place on it, how heavy it is in that currency.
Measurement work_curve(const std::string& url) {
  const std::string bytes = llmrt_request_bytes(url, mock(R"({"chunks":16})"), false);
  const HostPort at = host_port(url);
  constexpr int kRounds = 5;
  constexpr std::size_t kCount = 20'000;
  const std::vector<int> work_ns{0, 1000, 2000, 3000, 4000, 6000};
  std::vector<std::vector<double>> raw_rates(work_ns.size());
  std::vector<double> chat_rates;
  std::vector<double> chat_user_us;
  Measurement m = measure("work_curve", "request", [&](Measurement& r) {
    for (int round = 0; round < kRounds; ++round) {
      const Measurement chat = chat_batch(url, "chat_c20", 20, kCount, false, 1);
      r.errors += chat.errors;
      chat_rates.push_back(chat.units / chat.wall_seconds);
      chat_user_us.push_back((chat.cpu_seconds - chat.system_seconds) / chat.units * 1e6);
      for (std::size_t i = 0; i < work_ns.size(); ++i) {
        const auto start = Clock::now();
        raw_concurrent(at.host, at.port, bytes, 20, kCount, std::chrono::nanoseconds(work_ns[i]));
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        raw_rates[i].push_back(static_cast<double>(kCount) / seconds);
      }
      r.units += static_cast<double>(kCount * (work_ns.size() + 1));
    }
  });
  m.figures.emplace_back("chat_c20_rate", percentile(chat_rates, 50));
  m.figures.emplace_back("chat_c20_user_us", percentile(chat_user_us, 50));
  for (std::size_t i = 0; i < work_ns.size(); ++i) {
    m.figures.emplace_back("raw_c20_plus_" + std::to_string(work_ns[i] / 1000) + "us_rate",
                           percentile(raw_rates[i], 50));
  }
  return m;
}

Measurement raw_stream(const std::string& url) {
  const std::string bytes =
      llmrt_request_bytes(url, mock(R"({"chunks":100000,"events_per_flush":64})"), true);
  const HostPort at = host_port(url);
  return measure("stream_ceiling", "chunk", [&](Measurement& m) {
    RawWire wire(at.host, at.port);
    m.units = static_cast<double>(wire.stream(bytes));
  });
}

// Streams of 16 chunks one after another; for each, the first delta's arrival in the callback
// minus the read that brought the first body byte (the overhead), and minus the call's start.
Measurement first_token(const std::string& url) {
  core::ChatModel model = model_for(url);
  const auto params = mock(R"({"chunks":16,"events_per_flush":64})");
  model.chat(question(), params);
  std::vector<double> overheads;
  std::vector<double> ttfts;
  Measurement m = measure("ttft", "stream", [&](Measurement& r) {
    for (int i = 0; i < 1000; ++i) {
      std::optional<Clock::time_point> first_delta;
      RecvClock::arm();
      const auto start = Clock::now();
      try {
        model.stream_chat(question(), params, [&](const StreamEvent& e) {
          if (!first_delta && std::holds_alternative<ContentDelta>(e)) first_delta = Clock::now();
        });
      } catch (const Error&) {
        ++r.errors;
      }
      const std::optional<Clock::time_point> body = RecvClock::first_body_byte();
      if (!first_delta || !body) {
        ++r.errors;
        continue;
      }
      overheads.push_back(micros(*first_delta - *body));
      ttfts.push_back(micros(*first_delta - start));
    }
    r.units = 1000;
  });
  add_percentiles(m, "overhead_", overheads);
  add_percentiles(m, "ttft_", ttfts);
  return m;
}

}  // namespace

std::vector<Workload> wire_workloads() {
  return {
      {"raw_c1", "2,000 requests of llmrt's bytes on one raw keep-alive connection, each timed",
       [](const std::string& url) { return raw_requests(url); }},
      {"paired_c1",
       "2,000 pairs, one at a time: a raw exchange and a chat(), each timed; new "
       "connections every 100 pairs",
       [](const std::string& url) { return paired_requests(url); }},
      {"raw_c20", "20,000 requests of llmrt's bytes, 20 raw connections on one thread and epoll",
       [](const std::string& url) { return raw_concurrent_requests(url); }},
      {"work_curve",
       "raw_c20 with 0-6 µs of busy work a request, and chat_c20, in turn: median rates of five "
       "rounds",
       [](const std::string& url) { return work_curve(url); }},
      {"stream_ceiling", "a minimal reader draining one stream of 100,000 chunks",
       [](const std::string& url) { return raw_stream(url); }},
      {"ttft", "1,000 streams one after another: first delta minus first body byte",
       [](const std::string& url) { return first_token(url); }},
  };
}

}  // namespace llmrt::bench
