#include "raw_wire.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace llmrt::bench {
namespace {

constexpr std::size_t kReadBytes = std::size_t{64} << 10;

}  // namespace

RawWire::RawWire(const std::string& host, int port) : in_(kReadBytes, '\0') {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (fd_ < 0 || ::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1 ||
      ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("raw wire: cannot connect to " + host + ":" + std::to_string(port));
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawWire::~RawWire() {
  if (fd_ >= 0) ::close(fd_);
}

void RawWire::send_all(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("raw wire: send failed");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::size_t RawWire::fill() {
  if (used_ == in_.size()) in_.resize(in_.size() * 2);
  ssize_t n = ::recv(fd_, in_.data() + used_, in_.size() - used_, 0);
  if (n < 0) throw std::runtime_error("raw wire: recv failed");
  used_ += static_cast<std::size_t>(n);
  return static_cast<std::size_t>(n);
}

void RawWire::exchange(std::string_view request) {
  send_all(request);
  std::size_t head_end = std::string::npos;
  while ((head_end = std::string_view(in_.data(), used_).find("\r\n\r\n")) == std::string::npos) {
    if (fill() == 0) throw std::runtime_error("raw wire: connection closed in the head");
  }
  std::string_view head(in_.data(), head_end);
  std::size_t at = head.find("Content-Length: ");
  if (at == std::string_view::npos) throw std::runtime_error("raw wire: no Content-Length");
  const std::size_t total = head_end + 4 + std::strtoull(head.data() + at + 16, nullptr, 10);
  while (used_ < total) {
    if (fill() == 0) throw std::runtime_error("raw wire: connection closed in the body");
  }
  std::memmove(in_.data(), in_.data() + total, used_ - total);
  used_ -= total;
}

std::size_t RawWire::stream(std::string_view request) {
  send_all(request);
  std::size_t events = 0;
  std::size_t line_start = 0;
  for (;;) {
    // Every complete line in what was read: a chunk-size line, an event, a blank line.
    std::size_t scanned = line_start;
    while (const void* lf = std::memchr(in_.data() + scanned, '\n', used_ - scanned)) {
      const std::size_t end = static_cast<std::size_t>(static_cast<const char*>(lf) - in_.data());
      std::string_view line(in_.data() + line_start, end - line_start);
      if (line.starts_with("data: {")) {
        ++events;
      } else if (line.starts_with("data: [DONE]")) {
        used_ = 0;  // what follows (the last chunk's CRLFs) is dropped with the connection
        return events;
      }
      line_start = scanned = end + 1;
    }
    // Keep the partial line at the front, then read more behind it.
    std::memmove(in_.data(), in_.data() + line_start, used_ - line_start);
    used_ -= line_start;
    line_start = 0;
    if (fill() == 0) throw std::runtime_error("raw wire: the stream ended without [DONE]");
  }
}

std::string raw_post(std::string_view host, std::string_view target, std::string_view headers,
                     std::string_view body) {
  std::string out;
  out.reserve(256 + headers.size() + body.size());
  out.append("POST ").append(target).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
  out.append(headers);
  out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n\r\n");
  out.append(body);
  return out;
}

}  // namespace llmrt::bench
