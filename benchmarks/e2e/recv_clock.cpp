#include "recv_clock.h"

#include <dlfcn.h>
#include <sys/socket.h>
#include <sys/types.h>

namespace llmrt::bench {
namespace {

enum class Phase { idle, head, body_next };

struct ThreadClock {
  Phase phase = Phase::idle;
  char last[3] = {};  // the head's last bytes so far: its CRLF CRLF may span reads
  std::optional<RecvClock::Time> body;
};

thread_local ThreadClock clock_of_thread;

// Follows a read of `n` bytes: the read that brings the first byte after the head is timed.
void on_read(ThreadClock& c, const char* bytes, std::size_t n) {
  if (c.phase == Phase::body_next) {
    c.body = std::chrono::steady_clock::now();
    c.phase = Phase::idle;
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (c.last[0] == '\r' && c.last[1] == '\n' && c.last[2] == '\r' && bytes[i] == '\n') {
      if (i + 1 < n) {
        c.body = std::chrono::steady_clock::now();
        c.phase = Phase::idle;
      } else {
        c.phase = Phase::body_next;
      }
      return;
    }
    c.last[0] = c.last[1];
    c.last[1] = c.last[2];
    c.last[2] = bytes[i];
  }
}

}  // namespace

void RecvClock::arm() { clock_of_thread = ThreadClock{.phase = Phase::head}; }

std::optional<RecvClock::Time> RecvClock::first_body_byte() { return clock_of_thread.body; }

}  // namespace llmrt::bench

// The C library's recv(), timed. Exported from the executable (ENABLE_EXPORTS, default
// visibility), it is the one every library of the process calls.
extern "C" __attribute__((visibility("default"))) ssize_t recv(int fd, void* buffer, size_t size,
                                                               int flags) {
  using Recv = ssize_t (*)(int, void*, size_t, int);
  static const auto real = reinterpret_cast<Recv>(dlsym(RTLD_NEXT, "recv"));
  // recv(2) is recvfrom(2) without an address: the fallback if the C library's cannot be found.
  const ssize_t n = real != nullptr ? real(fd, buffer, size, flags)
                                    : ::recvfrom(fd, buffer, size, flags, nullptr, nullptr);
  auto& c = llmrt::bench::clock_of_thread;
  if (n > 0 && c.phase != llmrt::bench::Phase::idle) {
    llmrt::bench::on_read(c, static_cast<const char*>(buffer), static_cast<std::size_t>(n));
  }
  return n;
}
