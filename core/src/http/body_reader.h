#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPResponse.h>

#include <cstddef>
#include <memory>

namespace llmrt::core {

// Reads a response body straight from its session: chunked (RFC 9112 §7.1), of a known
// length, or up to the end of the connection. Poco's own body stream reads the socket 4 KiB at
// a time and copies through a stream buffer; on a fast stream those reads were a third of the
// client's CPU. This one reads up to 64 KiB per system call.
class BodyReader {
 public:
  BodyReader(Poco::Net::HTTPClientSession& session, const Poco::Net::HTTPResponse& response);

  // Copies up to `capacity` body bytes; blocks until some arrive. 0 at the end of the body.
  // Throws Poco exceptions on socket failures, Error (protocol) on broken chunk framing.
  std::size_t read(char* buffer, std::size_t capacity);

  // The body ended where the protocol says (so the connection can carry another request).
  bool complete() const noexcept { return state_ == State::done; }

 private:
  enum class State { size_line, data, data_end, trailer, sized, until_close, done };

  // Makes sure input is buffered; false at the end of the connection.
  bool fill();
  // Takes one CRLF- (or LF-) terminated line from the buffer; false when it is not all there.
  bool take_line(std::string& line);

  Poco::Net::HTTPClientSession& session_;
  State state_;
  std::unique_ptr<char[]> in_;
  std::size_t begin_ = 0;  // unread input is in_[begin_, end_)
  std::size_t end_ = 0;
  unsigned long long remaining_ = 0;  // of the current chunk, or of a sized body
  std::string line_;
};

}  // namespace llmrt::core
