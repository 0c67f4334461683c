#pragma once

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
  // Sends `request` and reads a streamed (chunked SSE) response to its `data: [DONE]` line,
  // splitting it into lines; returns how many `data: {` lines (events) it held.
  std::size_t stream(std::string_view request);

 private:
  void send_all(std::string_view bytes);
  std::size_t fill();  // reads more; 0 at the end of the connection

  int fd_ = -1;
  std::string in_;
  std::size_t used_ = 0;  // in_[0, used_) is read and not yet consumed
};

// The request head and body an HTTP/1.1 client sends for `body` to `target` on `host`.
std::string raw_post(std::string_view host, std::string_view target, std::string_view headers,
                     std::string_view body);

}  // namespace llmrt::bench
