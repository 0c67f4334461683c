#include "http/body_reader.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

constexpr std::size_t kInputBytes = std::size_t{16} << 10;
// A chunk-size line or trailer longer than this is not HTTP.
constexpr std::size_t kMaxLineBytes = std::size_t{8} << 10;

// HTTPSession::read is protected: it returns what Poco already buffered after the headers,
// then reads the socket directly, as much as asked.
struct SessionRead : Poco::Net::HTTPSession {
  static int call(Poco::Net::HTTPSession& session, char* buffer, std::streamsize length) {
    int (Poco::Net::HTTPSession::*method)(char*, std::streamsize) = &SessionRead::read;
    return (session.*method)(buffer, length);  // virtual: the HTTPS session's own read
  }
};

[[noreturn]] void broken(const std::string& what) {
  throw Error(ErrorKind::protocol, "broken chunked response body: " + what);
}

// The peer hung up mid-body: a network failure, not a malformed reply.
[[noreturn]] void cut(const std::string& where) {
  throw Error(ErrorKind::network, "the connection closed " + where);
}

}  // namespace

BodyReader::BodyReader(Poco::Net::HTTPClientSession& session,
                       const Poco::Net::HTTPResponse& response)
    : session_(session), in_(std::make_unique_for_overwrite<char[]>(kInputBytes)) {
  if (response.getChunkedTransferEncoding()) {
    state_ = State::size_line;
  } else if (response.hasContentLength()) {
    remaining_ = static_cast<unsigned long long>(response.getContentLength64());
    state_ = remaining_ == 0 ? State::done : State::sized;
  } else {
    state_ = State::until_close;
  }
}

bool BodyReader::fill() {
  if (begin_ < end_) return true;
  begin_ = end_ = 0;
  int n = SessionRead::call(session_, in_.get(), static_cast<std::streamsize>(kInputBytes));
  if (n <= 0) return false;
  end_ = static_cast<std::size_t>(n);
  return true;
}

bool BodyReader::take_line(std::string& line) {
  const char* start = in_.get() + begin_;
  const void* lf = std::memchr(start, '\n', end_ - begin_);
  std::size_t take = lf != nullptr
                         ? static_cast<std::size_t>(static_cast<const char*>(lf) - start) + 1
                         : end_ - begin_;
  line.append(start, take);
  begin_ += take;
  if (line.size() > kMaxLineBytes) broken("a line of more than 8 KiB");
  if (lf == nullptr) return false;
  line.pop_back();  // LF
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

std::size_t BodyReader::read(char* buffer, std::size_t capacity) {
  while (true) {
    switch (state_) {
      case State::done:
        return 0;
      case State::until_close:
      case State::sized: {
        if (!fill()) {
          if (state_ == State::sized) cut("inside the body");
          state_ = State::done;
          return 0;
        }
        std::size_t n = std::min(capacity, end_ - begin_);
        if (state_ == State::sized) {
          n = static_cast<std::size_t>(std::min<unsigned long long>(n, remaining_));
          remaining_ -= n;
          if (remaining_ == 0) state_ = State::done;
        }
        std::memcpy(buffer, in_.get() + begin_, n);
        begin_ += n;
        return n;
      }
      case State::size_line: {
        if (!fill()) cut("before the last chunk");
        if (!take_line(line_)) continue;
        std::size_t digits = 0;
        unsigned long long size = 0;
        while (digits < line_.size() && std::isxdigit(static_cast<unsigned char>(line_[digits]))) {
          if (size >> 56) broken("a chunk size too large");
          size = size * 16 +
                 static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(line_[digits]))
                                           ? line_[digits] - '0'
                                           : (std::tolower(line_[digits]) - 'a' + 10));
          ++digits;
        }
        if (digits == 0) broken("a chunk size line '" + line_.substr(0, 40) + "'");
        line_.clear();
        remaining_ = size;
        state_ = size == 0 ? State::trailer : State::data;
        continue;
      }
      case State::data: {
        if (!fill()) cut("inside a chunk");
        std::size_t n = static_cast<std::size_t>(
            std::min<unsigned long long>(std::min(capacity, end_ - begin_), remaining_));
        std::memcpy(buffer, in_.get() + begin_, n);
        begin_ += n;
        remaining_ -= n;
        if (remaining_ == 0) state_ = State::data_end;
        return n;
      }
      case State::data_end: {  // the CRLF after a chunk's data
        if (!fill()) cut("after a chunk");
        if (!take_line(line_)) continue;
        if (!line_.empty()) broken("chunk data longer than its size");
        state_ = State::size_line;
        continue;
      }
      case State::trailer: {  // trailer fields, then an empty line
        if (!fill()) cut("in the trailer");
        if (!take_line(line_)) continue;
        bool last = line_.empty();
        line_.clear();
        if (last) state_ = State::done;
        continue;
      }
    }
  }
}

}  // namespace llmrt::core
