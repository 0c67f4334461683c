#include "local_input.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "llmrt/sdk/error.h"

namespace llmrt::cli {
namespace {

constexpr std::size_t kChunk = std::size_t{64} << 10;

std::string name_of(const std::string& source) { return source == "-" ? "stdin" : source; }

[[noreturn]] void fail(const std::string& name, const std::string& what) {
  throw Error(ErrorKind::bad_request, name + ": " + what);
}

[[noreturn]] void fail_errno(const std::string& name, int error) {
  fail(name, error == EISDIR ? std::string("is a directory") : std::strerror(error));
}

// Opens `source` for reading (stdin for "-", not closed later) and refuses a directory, which
// open() accepts and read() then fails on.
int open_input(const std::string& source) {
  const std::string name = name_of(source);
  int fd = source == "-" ? STDIN_FILENO : ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("cannot read " + name, std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    if (fd != STDIN_FILENO) ::close(fd);
    fail(name, "is a directory");
  }
  return fd;
}

// read(2) that retries when interrupted; -1 with errno on failure.
ssize_t read_some(int fd, char* into, std::size_t size) {
  ssize_t n;
  do {
    n = ::read(fd, into, size);
  } while (n < 0 && errno == EINTR);
  return n;
}

std::string too_large(std::size_t limit) {
  return "more than the limit of " + std::to_string(limit) + " bytes for a local input";
}

}  // namespace

std::string read_local_input(const std::string& source, std::size_t limit,
                             const std::string& flag) {
  if (!flag.empty()) {
    try {
      return read_local_input(source, limit);
    } catch (const Error& e) {
      throw Error(ErrorKind::bad_request, flag + ": " + e.info().message);
    }
  }
  const std::string name = name_of(source);
  const int fd = open_input(source);
  std::string text;
  int error = 0;
  bool over = false;
  for (;;) {
    const std::size_t at = text.size();
    // One byte past the limit tells a file of exactly `limit` bytes from a larger one.
    const std::size_t want = std::min(kChunk, limit + 1 - at);
    text.resize(at + want);
    const ssize_t n = read_some(fd, text.data() + at, want);
    if (n < 0) error = errno;
    text.resize(at + static_cast<std::size_t>(n > 0 ? n : 0));
    if (n <= 0) break;
    if (text.size() > limit) {
      over = true;
      break;
    }
  }
  if (fd != STDIN_FILENO) ::close(fd);
  if (error != 0) fail_errno(name, error);
  if (over) fail(name, too_large(limit));
  return text;
}

LineReader::LineReader(const std::string& path, std::size_t limit, std::function<bool()> stop)
    : path_(path), limit_(limit), stop_(std::move(stop)), fd_(open_input(path)) {}

LineReader::~LineReader() {
  if (fd_ >= 0 && fd_ != STDIN_FILENO) ::close(fd_);
}

bool LineReader::fill() {
  if (eof_) return false;
  // Drop what was consumed before growing: the buffer holds at most one line and a chunk.
  buffer_.erase(0, start_);
  start_ = 0;
  if (stop_) {
    // A look every tenth of a second: a regular file is readable at once, a pipe when its
    // writer writes or closes.
    pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
    for (;;) {
      const int ready = ::poll(&p, 1, 100);
      if (ready > 0 || (ready < 0 && errno != EINTR)) break;  // the read says what came
      if (stop_()) {
        eof_ = true;
        stopped_ = true;
        return false;
      }
    }
  }
  const std::size_t at = buffer_.size();
  buffer_.resize(at + kChunk);
  const ssize_t n = read_some(fd_, buffer_.data() + at, kChunk);
  const int error = errno;
  buffer_.resize(at + static_cast<std::size_t>(n > 0 ? n : 0));
  if (n < 0) fail_errno(path_, error);
  if (n == 0) eof_ = true;
  return n > 0;
}

bool LineReader::next(Line& line) {
  line.text.clear();
  line.too_long = false;
  line.terminated = true;
  std::size_t scanned = 0;  // bytes after start_ known to hold no newline
  std::size_t skipped = 0;  // bytes of a too long line forgotten so far
  for (;;) {
    const std::size_t newline = buffer_.find('\n', start_ + scanned);
    if (newline != std::string::npos) {
      if (!line.too_long && newline - start_ > limit_) {
        line.too_long = true;
        line.text.assign(buffer_, start_, kLongLineStart);
      } else if (!line.too_long) {
        line.text.assign(buffer_, start_, newline - start_);
      }
      start_ = newline + 1;
      line.number = ++number_;
      return true;
    }
    scanned = buffer_.size() - start_;
    if (line.too_long || scanned > limit_) {
      // Too long: forget what was read of it (but its start) and skip to its end, in bounded
      // memory.
      if (!line.too_long) line.text.assign(buffer_, start_, kLongLineStart);
      line.too_long = true;
      skipped += scanned;
      start_ = buffer_.size();
      scanned = 0;
      // A line sixteen times the limit is no line (/dev/zero, a binary file): reading on
      // would never end.
      if (skipped / 16 > limit_) {
        fail(path_, "line " + std::to_string(number_ + 1) + " has no end within " +
                        std::to_string(skipped) + " bytes: not a file of lines");
      }
    }
    if (!fill()) break;
  }
  // Stopped while a writer may still be writing: what it sent of a line is no line.
  if (stopped_) return false;
  // The end of the file: a last line without a newline is still a line.
  if (start_ == buffer_.size() && !line.too_long) return false;
  if (buffer_.size() - start_ > limit_ && !line.too_long) {
    line.too_long = true;
    line.text.assign(buffer_, start_, kLongLineStart);
  }
  if (!line.too_long) line.text.assign(buffer_, start_, std::string::npos);
  line.terminated = false;
  start_ = buffer_.size();
  line.number = ++number_;
  return true;
}

}  // namespace llmrt::cli
