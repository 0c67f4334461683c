#include "raw_wire.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

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
    if (fd_ >= 0) ::close(fd_);  // no destructor runs for a constructor that throws
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

bool RawWire::take_response() {
  const std::string_view in(in_.data(), used_);
  const std::size_t head_end = in.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return false;
  const std::size_t at = in.substr(0, head_end).find("Content-Length: ");
  if (at == std::string_view::npos) throw std::runtime_error("raw wire: no Content-Length");
  const std::size_t total = head_end + 4 + std::strtoull(in.data() + at + 16, nullptr, 10);
  if (used_ < total) return false;
  std::memmove(in_.data(), in_.data() + total, used_ - total);
  used_ -= total;
  return true;
}

void RawWire::exchange(std::string_view request) {
  send_all(request);
  while (!take_response()) {
    if (fill() == 0) throw std::runtime_error("raw wire: the connection closed in a response");
  }
}

bool RawWire::read_once() {
  if (fill() == 0) throw std::runtime_error("raw wire: the connection closed in a response");
  return take_response();
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

void raw_concurrent(const std::string& host, int port, std::string_view request,
                    std::size_t connections, std::size_t count, std::chrono::nanoseconds work) {
  std::vector<std::unique_ptr<RawWire>> wires;
  const int epfd = ::epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) throw std::runtime_error("raw wire: no epoll");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{epfd};
  std::size_t sent = 0;
  for (std::size_t i = 0; i < connections && sent < count; ++i, ++sent) {
    wires.push_back(std::make_unique<RawWire>(host, port));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = i;
    if (::epoll_ctl(epfd, EPOLL_CTL_ADD, wires.back()->fd(), &ev) != 0) {
      throw std::runtime_error("raw wire: epoll_ctl failed");
    }
    wires.back()->send(request);
  }
  std::size_t done = 0;
  epoll_event events[64];
  while (done < count) {
    const int n = ::epoll_wait(epfd, events, 64, 10'000);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("raw wire: epoll_wait failed");
    if (n == 0) throw std::runtime_error("raw wire: no response for ten seconds");
    for (int e = 0; e < n; ++e) {
      RawWire& wire = *wires[events[e].data.u64];
      if (!wire.read_once()) continue;
      ++done;
      if (work.count() > 0) {
        const auto until = std::chrono::steady_clock::now() + work;
        while (std::chrono::steady_clock::now() < until) {
        }
      }
      if (sent < count) {
        wire.send(request);
        ++sent;
      }
    }
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
