#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "http/connection.h"
#include "llmrt/sdk/http.h"

namespace llmrt::core {

// The status line and header fields of a final response (RFC 9112 §4–6), and what they say
// about its body.
struct ResponseHead {
  int status = 0;
  HttpHeaders headers;
  bool chunked = false;
  std::optional<std::uint64_t> content_length;  // a body of exactly this many bytes
  bool no_body = false;                         // 204, 304, or the answer to HEAD
  bool keep_alive = true;                       // the connection may carry another request
  bool bytes_seen = false;                      // anything at all arrived (for stale checks)
};

// Reads the response head from `connection`, skipping interim (1xx) responses — `100 Continue`,
// `103 Early Hints` — up to a bounded number. Bounded in size (64 KiB in all, 8 KiB a line,
// 128 fields). Throws Error protocol on anything that is not HTTP/1.x, Error network when the
// connection ends before the head does (`head.bytes_seen` tells whether anything came), and
// Poco exceptions from the socket.
void read_response_head(Connection& connection, bool head_request, ResponseHead& head);

}  // namespace llmrt::core
