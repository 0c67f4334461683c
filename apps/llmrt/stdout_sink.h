#pragma once

#include <ostream>
#include <streambuf>

namespace llmrt::cli {

// std::cout written with write(2) on descriptor 1, keeping the first error: output that could
// not be written is never reported as success. The constructor puts it under std::cout, the
// destructor flushes and puts the previous buffer back. One per process (main owns it).
//
// After a failed write std::cout is bad: a command in the middle of a call checks `!std::cout`
// and cancels it (nobody reads the rest), and main turns the error into the exit status.
class StdoutSink : public std::streambuf {
 public:
  StdoutSink();
  ~StdoutSink() override;
  StdoutSink(const StdoutSink&) = delete;
  StdoutSink& operator=(const StdoutSink&) = delete;

  // Flushes, and gives the exit status: `status` when everything was written; when not,
  // kExitBrokenPipe if the reader went away (EPIPE, silently, as a program killed by SIGPIPE
  // would be), else a message on `err` and kExitCallFailed (unless `status` already says
  // failure).
  int finish(int status, std::ostream& err);

 protected:
  int_type overflow(int_type c) override;
  int sync() override;

 private:
  bool drain();

  static constexpr std::size_t kBufferBytes = std::size_t{64} << 10;
  char buffer_[kBufferBytes];
  std::streambuf* previous_;
  int error_ = 0;  // errno of the first failed write
};

}  // namespace llmrt::cli
