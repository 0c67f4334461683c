#include "http/body_reader.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

// A chunk-size line, or the whole trailer section, longer than this is not HTTP.
constexpr std::size_t kMaxFramingBytes = std::size_t{8} << 10;
// Chunk extensions beyond the data they come with: within the line limit, a server sending
// 1-byte chunks each with 8 KB of extension had llmrt read gigabytes for a few megabytes of
// body, with no limit but the call's total timeout.
constexpr std::uint64_t kMaxExtensionBytes = std::uint64_t{64} << 10;

[[noreturn]] void broken(const std::string& what) {
  throw Error(ErrorKind::protocol, "broken chunked response body: " + what);
}

// The peer hung up mid-body: a network failure, not a malformed reply.
[[noreturn]] void cut(const std::string& where) {
  throw Error(ErrorKind::network, "the connection closed " + where);
}

}  // namespace

BodyReader::BodyReader(Connection& connection, const ResponseHead& head,
                       std::chrono::milliseconds framing_limit)
    : connection_(connection), framing_limit_(framing_limit) {
  if (head.no_body) {
    state_ = State::done;
  } else if (head.chunked) {
    state_ = State::size_line;
  } else if (head.content_length) {
    remaining_ = *head.content_length;
    state_ = remaining_ == 0 ? State::done : State::sized;
  } else {
    state_ = State::until_close;
  }
}

void BodyReader::fill_or_cut(const char* where) {
  if (!connection_.fill()) cut(where);
}

bool BodyReader::framing_line() {
  if (line_.empty() && !line_waited_) line_started_ = std::chrono::steady_clock::now();
  const bool complete = connection_.take_line(line_);
  // Whole or not: how the line was split across reads does not move the limit (a line not yet
  // whole may still hold the CR of its CRLF).
  if (line_.size() > kMaxFramingBytes + (complete ? 0 : 1)) {
    broken("a framing line of more than 8 KiB");
  }
  if (complete) {
    line_waited_ = false;
    return true;
  }
  // Only lines split across reads look at the clock: the common case costs nothing.
  if (line_waited_ && std::chrono::steady_clock::now() - line_started_ > framing_limit_) {
    throw Error(ErrorKind::timeout, "a chunk-framing line took longer than the read timeout (" +
                                        std::to_string(framing_limit_.count()) + " ms) to arrive");
  }
  line_waited_ = true;
  return false;
}

std::size_t BodyReader::read(char* buffer, std::size_t capacity) {
  while (true) {
    switch (state_) {
      case State::done:
        return 0;
      case State::until_close:
      case State::sized: {
        if (!connection_.fill()) {
          if (state_ == State::sized) cut("inside the body");
          state_ = State::done;
          return 0;
        }
        std::string_view in = connection_.buffered();
        std::size_t n = std::min(capacity, in.size());
        if (state_ == State::sized) {
          n = static_cast<std::size_t>(std::min<std::uint64_t>(n, remaining_));
          remaining_ -= n;
          if (remaining_ == 0) state_ = State::done;
        }
        std::memcpy(buffer, in.data(), n);
        connection_.consume(n);
        return n;
      }
      case State::size_line: {
        fill_or_cut("before the last chunk");
        if (!framing_line()) continue;
        std::size_t digits = 0;
        std::uint64_t size = 0;
        while (digits < line_.size() && std::isxdigit(static_cast<unsigned char>(line_[digits]))) {
          if (size >> 56) broken("a chunk size too large");
          size = size * 16 +
                 static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(line_[digits]))
                                           ? line_[digits] - '0'
                                           : (std::tolower(line_[digits]) - 'a' + 10));
          ++digits;
        }
        // After the size only an extension may follow (";name=value", blanks allowed before
        // it): "0x1F" is no size 0 with junk after it, whose data would be read as a trailer.
        std::size_t after = digits;
        while (after < line_.size() && (line_[after] == ' ' || line_[after] == '\t')) ++after;
        if (digits == 0 || (after < line_.size() && line_[after] != ';')) {
          broken("a chunk size line '" + line_.substr(0, 40) + "'");
        }
        extension_bytes_ += line_.size() - digits;
        data_bytes_ += size;
        if (extension_bytes_ > kMaxExtensionBytes + data_bytes_) {
          broken("chunk extensions of more than 64 KiB beyond the data they come with");
        }
        line_.clear();
        remaining_ = size;
        state_ = size == 0 ? State::trailer : State::data;
        if (size == 0) trailer_started_ = std::chrono::steady_clock::now();
        continue;
      }
      case State::data: {
        fill_or_cut("inside a chunk");
        std::string_view in = connection_.buffered();
        std::size_t n = static_cast<std::size_t>(
            std::min<std::uint64_t>(std::min(capacity, in.size()), remaining_));
        std::memcpy(buffer, in.data(), n);
        connection_.consume(n);
        remaining_ -= n;
        if (remaining_ == 0) state_ = State::data_end;
        return n;
      }
      case State::data_end: {  // the CRLF after a chunk's data
        fill_or_cut("after a chunk");
        if (!framing_line()) continue;
        if (!line_.empty()) broken("chunk data longer than its size");
        state_ = State::size_line;
        continue;
      }
      case State::trailer: {  // trailer fields, then an empty line
        fill_or_cut("in the trailer");
        if (!framing_line()) continue;
        trailer_bytes_ += line_.size() + 2;
        if (trailer_bytes_ > kMaxFramingBytes) broken("a trailer section of more than 8 KiB");
        if (std::chrono::steady_clock::now() - trailer_started_ > framing_limit_) {
          throw Error(ErrorKind::timeout,
                      "the trailer section took longer than the read timeout (" +
                          std::to_string(framing_limit_.count()) + " ms)");
        }
        bool last = line_.empty();
        line_.clear();
        if (last) state_ = State::done;
        continue;
      }
    }
  }
}

}  // namespace llmrt::core
