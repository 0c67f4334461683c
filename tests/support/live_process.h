#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "support/run_process.h"

namespace llmrt::test {

// A program run by a test that watches its output while it runs and signals it (Ctrl-C in the
// middle of a reply). stdout and stderr are pipes; with `terminal_columns` > 0, stderr is a
// pseudo-terminal of that many columns (what a progress bar sees) and `err` is what was drawn
// on it; with -1, a pseudo-terminal that reports no size. stdin is /dev/null. The process is
// killed when this goes out of scope unfinished.
class LiveProcess {
 public:
  explicit LiveProcess(const std::vector<std::string>& argv, int terminal_columns = 0);
  ~LiveProcess();
  LiveProcess(const LiveProcess&) = delete;
  LiveProcess& operator=(const LiveProcess&) = delete;

  // Reads its output until `ready(out, err)` holds (true) or `timeout` passes (false).
  bool wait_until(const std::function<bool(const std::string& out, const std::string& err)>& ready,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));
  void signal(int signal);
  // Reads the rest of its output and waits for it to end: `timeout` at most, then it is killed
  // (exit_code then says SIGKILL: 137).
  ProcessResult finish(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  const std::string& out() const noexcept { return result_.out; }
  const std::string& err() const noexcept { return result_.err; }

 private:
  // One poll round of at most `wait`; false once both outputs are closed.
  bool read_some(std::chrono::milliseconds wait);

  pid_t pid_ = -1;
  int out_ = -1;
  int err_ = -1;
  ProcessResult result_;
};

}  // namespace llmrt::test
