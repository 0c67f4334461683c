#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/connection.h"
#include "http/response_head.h"

namespace llmrt::core {

// Reads a response body from its connection: chunked (RFC 9112 §7.1), of a known length, or up
// to the end of the connection. Chunk framing is bounded: a size line or the trailer section
// may not be longer than 8 KiB, nor take longer than `framing_limit` to arrive (a server
// trickling them a byte at a time never sends a silence a read timeout would notice).
class BodyReader {
 public:
  BodyReader(Connection& connection, const ResponseHead& head,
             std::chrono::milliseconds framing_limit);

  // Copies up to `capacity` body bytes; blocks until some arrive. 0 at the end of the body.
  // Throws Poco exceptions on socket failures, Error (protocol) on broken chunk framing,
  // Error (network) when the connection ends inside the body.
  std::size_t read(char* buffer, std::size_t capacity);

  // The body ended where the protocol says (so the connection can carry another request).
  bool complete() const noexcept { return state_ == State::done; }

 private:
  enum class State { size_line, data, data_end, trailer, sized, until_close, done };

  // The next framing line; false when it has not all arrived yet.
  bool framing_line();
  void fill_or_cut(const char* where);

  Connection& connection_;
  State state_;
  std::uint64_t remaining_ = 0;  // of the current chunk, or of a sized body
  std::string line_;
  std::size_t trailer_bytes_ = 0;
  std::uint64_t extension_bytes_ = 0;  // of every chunk-size line so far, past the size
  std::uint64_t data_bytes_ = 0;       // the sizes those lines gave
  std::chrono::milliseconds framing_limit_;
  std::chrono::steady_clock::time_point line_started_;
  std::chrono::steady_clock::time_point trailer_started_;
  bool line_waited_ = false;  // the current line needed more than one read
};

}  // namespace llmrt::core
