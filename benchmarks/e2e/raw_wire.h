#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace llmrt::bench {

// The ceiling llmrt is measured against: a client that does nothing but the wire. One
// keep-alive TCP connection (TCP_NODELAY, as llmrt's), requests written as one buffer, responses
// read into one buffer and cut by Content-Length or at the end of a stream; no parsing beyond
// finding lines. Throws std::runtime_error on anything unexpected.
class RawWire {
 public:
  RawWire(const std::string& host, int port);
  ~RawWire();
  RawWire(const RawWire&) = delete;
  RawWire& operator=(const RawWire&) = delete;

  // Sends `request` and reads one response with a Content-Length body.
  void exchange(std::string_view request);
  // For a loop of many connections (raw_concurrent): sends without waiting for the answer, and
  // takes what one read brings (one recv, as a client woken by epoll does). True when a whole
  // response is in; it is consumed.
  void send(std::string_view request) { send_all(request); }
  bool read_once();
  int fd() const noexcept { return fd_; }
  // Sends `request` and reads a streamed (chunked SSE) response to its `data: [DONE]` line,
  // splitting it into lines; returns how many `data: {` lines (events) it held.
  std::size_t stream(std::string_view request);

 private:
  void send_all(std::string_view bytes);
  std::size_t fill();  // reads more; 0 at the end of the connection
  // Consumes one whole response with a Content-Length body when one is in; false otherwise.
  bool take_response();

  int fd_ = -1;
  std::string in_;
  std::size_t used_ = 0;  // in_[0, used_) is read and not yet consumed
};

// The same ceiling at concurrency: `connections` raw connections on one thread and one epoll
// (level triggered: a wake, one recv, the next request when a response is whole), as a
// minimal event-driven client does what llmrt's batch loop does. Sends `count` requests in all.
// With `work`, each response is followed by that long a busy loop before the next request: a
// client that costs that much more CPU a request and does nothing else differently.
void raw_concurrent(const std::string& host, int port, std::string_view request,
                    std::size_t connections, std::size_t count,
                    std::chrono::nanoseconds work = std::chrono::nanoseconds(0));

// The request head and body an HTTP/1.1 client sends for `body` to `target` on `host`.
std::string raw_post(std::string_view host, std::string_view target, std::string_view headers,
                     std::string_view body);

}  // namespace llmrt::bench
