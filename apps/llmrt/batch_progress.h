#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>

namespace llmrt::cli {

// The batch's progress on stderr: a bar redrawn in place when stderr is a terminal (done,
// failed, rate, ETA), and a summary line at the end in any case.
class BatchProgress {
 public:
  BatchProgress(std::ostream& out, std::size_t total, bool terminal);

  void item_done(bool ok);
  void finish(std::size_t skipped);

  std::size_t failed() const noexcept { return failed_; }

 private:
  void draw();

  std::ostream& out_;
  std::size_t total_;
  bool terminal_;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace llmrt::cli
