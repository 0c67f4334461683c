#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/mock/scenario.h"
#include "llmrt/sdk/http.h"

namespace llmrt::mock {

struct RecordedRequest {
  std::string method;
  std::string uri;
  HttpHeaders headers;
  std::string body;
  std::string peer;  // the client's address and port: tells whether a connection was reused
  // When it arrived (as the rate limit counted it) and the status it was answered with (0 while
  // the reply is still on its way, or when the client went away before any).
  std::chrono::steady_clock::time_point received{};
  int status = 0;
};

// A path the server answers (POST only) and the protocol it speaks there. Any other path is
// answered 404 with a message listing these.
struct MockRoute {
  std::string_view path;
  std::string_view protocol;
};
const std::vector<MockRoute>& mock_routes();

// Thrown by MockServer's constructor when its port is taken (by anything: the server never
// shares a port); what() names the port and host. Other listen failures are runtime_errors.
class PortInUse : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A provider API on loopback, for the demo, the tests and the benchmarks. Starts in the
// constructor on an ephemeral port (unless one is given) and stops in the destructor.
// Thread-safe.
class MockServer {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    int max_threads = 256;
    bool record = true;  // keep every request (off for benchmarks)
    // PEM files: when both are set the server speaks HTTPS (for the TLS tests).
    std::string tls_certificate_file;
    std::string tls_private_key_file;
    // A server-side rate limit: at most `requests` requests in any sliding `window` (0: none).
    // Every request that arrives counts once accepted; one over the limit is answered 429 with
    // Retry-After and the protocol's rate-limit error body, and every reply carries OpenAI's
    // x-ratelimit-limit-requests, x-ratelimit-remaining-requests and
    // x-ratelimit-reset-requests (when the oldest counted request leaves the window).
    struct RateLimit {
      long long requests = 0;
      std::chrono::milliseconds window{60'000};
    };
    RateLimit rate_limit{};
  };

  MockServer();
  explicit MockServer(Options options);
  ~MockServer();
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  std::uint16_t port() const noexcept;
  bool tls() const noexcept;
  // "http://127.0.0.1:PORT" ("https://…" with TLS; an IPv6 host in brackets)
  std::string base_url() const;

  // The scenario for requests with none queued.
  void set_default(Scenario scenario);
  // Queues a scenario for the next request (first in, first out).
  void push(Scenario scenario);

  std::vector<RecordedRequest> requests() const;
  // Throws std::logic_error when no request has arrived.
  RecordedRequest last_request() const;
  void clear_requests();

  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmrt::mock
