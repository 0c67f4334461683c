#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "llmrt/sdk/http.h"

namespace llmrt::core {

class CancelToken;

struct TransportOptions {
  // Longest a new connection may take: TCP, a proxy's CONNECT and the TLS handshake together.
  std::chrono::milliseconds connect_timeout{10'000};
  // Longest wait for the next bytes of a response mid-body, for the whole response head (status
  // line and headers, interim 1xx responses included), and for one chunk-framing line.
  std::chrono::milliseconds read_timeout{120'000};
  // Longest a whole call may take, retries and waits included; 0: no limit.
  std::chrono::milliseconds total_timeout{0};
  // "http://[user:password@]host:port" (or "host:port"); empty: none, or the environment's.
  std::string proxy{};
  // Without `proxy`, use HTTPS_PROXY / HTTP_PROXY / NO_PROXY as curl does (never for loopback).
  bool proxy_from_environment = true;
  // PEM file of CAs to trust instead of the system store; empty: the system store.
  std::string ca_file{};
  // Bodies read whole (non-streamed replies, error bodies) larger than this are an error.
  std::size_t max_body_bytes = std::size_t{16} << 20;
  // Streamed bodies larger than this end the call with Error protocol and the partial text.
  std::size_t max_stream_bytes = std::size_t{64} << 20;
  std::size_t max_idle_connections_per_endpoint = 64;
};

class ConnectionPool;
class TlsContext;

// What one request may be interrupted by: a cancellation from another thread, the call's
// total deadline.
struct RequestContext {
  CancelToken* cancel = nullptr;
  std::optional<std::chrono::steady_clock::time_point> deadline{};
};

// A 2xx status: the request succeeded (RFC 9110 §15.3).
inline bool is_success(int status) noexcept { return status >= 200 && status < 300; }

// A response whose headers have arrived and whose body is read as it comes.
class ResponseStream {
 public:
  struct Impl;
  explicit ResponseStream(std::unique_ptr<Impl> impl);
  ~ResponseStream();
  ResponseStream(const ResponseStream&) = delete;
  ResponseStream& operator=(const ResponseStream&) = delete;

  int status() const noexcept;
  const HttpHeaders& headers() const noexcept;
  // The body has neither a length nor chunks: it ends where the connection does, so an early
  // end cannot be told from a cut.
  bool ends_with_connection() const noexcept;
  // Blocks until some bytes arrive; returns how many were copied, 0 at the end of the body.
  // Throws Error (timeout, network) when the connection stalls or breaks.
  std::size_t read_some(char* buffer, std::size_t capacity);
  // The rest of the body, up to `limit` bytes (throws Error protocol beyond it).
  std::string read_all(std::size_t limit);
  // The body is complete as far as the caller cares: reads what is left for at most `grace`
  // (the chunked terminator, normally already here) so the connection can be reused, and
  // drops the connection instead when more comes or it takes longer — whatever the read and
  // total timeouts. Never throws.
  void finish_quietly(std::chrono::milliseconds grace) noexcept;
  // Drops the connection now (early stop, cancellation): it is not reused.
  void abort() noexcept;

 private:
  friend class Transport;  // send() moves the head's fields out once the body is read
  std::unique_ptr<Impl> impl_;
};

// HTTP/1.1 over Poco's sockets: a keep-alive connection pool per endpoint, connect and read
// timeouts, an HTTP proxy (CONNECT for HTTPS), TLS with certificate and host name verification
// always on. The call's total deadline and its cancellation reach every phase (connect, proxy,
// TLS, request, headers, body, drain). Thread-safe: one Transport serves many concurrent calls.
class Transport {
 public:
  explicit Transport(TransportOptions options = {});
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Sends the request and returns once the response headers are in. Throws Error (timeout,
  // network, cancelled, bad_request for an unusable URL).
  std::unique_ptr<ResponseStream> open(const HttpRequest& request,
                                       const RequestContext& context = {});
  // open() and the whole body (max_body_bytes at most).
  HttpResponse send(const HttpRequest& request, const RequestContext& context = {});

  const TransportOptions& options() const noexcept { return options_; }

 private:
  // open()'s work, returning the stream's state: send() then keeps its ResponseStream on the
  // stack rather than in an allocation of its own.
  std::unique_ptr<ResponseStream::Impl> open_impl(const HttpRequest& request,
                                                  const RequestContext& context);

  TransportOptions options_;
  std::shared_ptr<ConnectionPool> pool_;
  std::shared_ptr<TlsContext> tls_;
};

}  // namespace llmrt::core
