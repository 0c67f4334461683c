#pragma once

#include <chrono>
#include <optional>

namespace llmrt::bench {

// When the first byte of a response body came off the socket, as the client's own recv()
// returned it: e2e_bench defines recv() itself (forwarding to the C library's), so the client
// library's reads are timed where they happen, with no hook in llmrt. One clock per thread.
class RecvClock {
 public:
  using Time = std::chrono::steady_clock::time_point;
  // Starts watching this thread's reads for the next response: its head, then its body.
  static void arm();
  // The time of the read that returned the body's first byte; none before it.
  static std::optional<Time> first_body_byte();
};

}  // namespace llmrt::bench
