#include "stdout_sink.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "commands.h"

namespace llmrt::cli {

StdoutSink::StdoutSink() : previous_(std::cout.rdbuf(this)) {
  setp(buffer_, buffer_ + kBufferBytes);
  // On a terminal, text shows as soon as it is printed, in order with stderr's.
  if (::isatty(STDOUT_FILENO) != 0) std::cout.setf(std::ios::unitbuf);
}

StdoutSink::~StdoutSink() {
  drain();
  std::cout.rdbuf(previous_);
}

bool StdoutSink::drain() {
  const char* at = pbase();
  const char* end = pptr();
  while (error_ == 0 && at < end) {
    const ssize_t n = ::write(STDOUT_FILENO, at, static_cast<std::size_t>(end - at));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = n < 0 ? errno : EIO;
      break;
    }
    at += n;
  }
  setp(buffer_, buffer_ + kBufferBytes);  // after a failure, what was not written is dropped
  return error_ == 0;
}

StdoutSink::int_type StdoutSink::overflow(int_type c) {
  if (!drain()) return traits_type::eof();
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  *pptr() = traits_type::to_char_type(c);
  pbump(1);
  return c;
}

int StdoutSink::sync() { return drain() ? 0 : -1; }

int StdoutSink::finish(int status, std::ostream& err) {
  std::cout.flush();
  drain();
  if (error_ == 0) return status;
  if (error_ == EPIPE) return kExitBrokenPipe;
  err << "llmrt: cannot write stdout: " << std::strerror(error_) << "\n";
  return status != kExitOk ? status : kExitCallFailed;
}

}  // namespace llmrt::cli
