#include "wire.h"

#include <poll.h>
#include <sys/socket.h>

#include <Poco/Exception.h>

#include <algorithm>
#include <thread>
#include <utility>

namespace llmrt::mock {

Wire::Wire(Poco::Net::StreamSocket& socket, std::chrono::milliseconds fault_limit)
    : socket_(socket), limit_(Clock::now() + fault_limit) {}

void Wire::write(std::string_view bytes) {
  if (holding_) {
    held_.append(bytes);
    return;
  }
  send(bytes);
}

void Wire::release() {
  holding_ = false;
  std::string held = std::move(held_);
  held_.clear();
  send(held);
}

void Wire::send(std::string_view bytes) {
  try {
    while (!bytes.empty()) {
      // MSG_NOSIGNAL: a client that hung up must not kill the process hosting the mock.
      int n = socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size()), MSG_NOSIGNAL);
      if (n <= 0) throw ClientGone();
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  } catch (const Poco::Exception&) {
    throw ClientGone();
  }
}

void Wire::trickle(std::string_view bytes, std::chrono::milliseconds delay) {
  while (!bytes.empty()) {
    if (delay.count() <= 0 || past_limit()) {
      write(bytes);
      return;
    }
    write(bytes.substr(0, 1));
    bytes.remove_prefix(1);
    if (!bytes.empty()) pause(delay);
  }
}

bool Wire::wait(std::chrono::milliseconds duration) {
  if (holding_) {
    release();
    holding_ = true;
  }
  const int fd = socket_.impl()->sockfd();
  const Clock::time_point until = Clock::now() + duration;
  // In slices, so that a hang-up is noticed within one.
  constexpr std::chrono::milliseconds kSlice{50};
  while (true) {
    // Rounded up: rounded down, a pause ended up to a millisecond early.
    auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) return true;
    auto slice = std::min(left, kSlice);
    pollfd p{fd, POLLIN | POLLRDHUP, 0};
    int ready = ::poll(&p, 1, static_cast<int>(slice.count()));
    if (ready < 0) return false;
    if (ready == 0) continue;
    if ((p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0) return false;
    char c = 0;
    ssize_t n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0) return false;
    // Bytes from the client (a pipelined request) are not a hang-up: leave them for Poco.
    if (n > 0) std::this_thread::sleep_for(slice);
  }
}

void Wire::pause(std::chrono::milliseconds duration) {
  if (!wait(duration)) throw ClientGone();
}

void Wire::cut() {
  try {
    socket_.shutdown();
  } catch (const Poco::Exception&) {
    // Already gone.
  }
}

}  // namespace llmrt::mock
