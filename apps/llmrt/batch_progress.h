#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>

#include "batch_totals.h"

namespace llmrt::cli {

// What a batch run did besides the items it ran, for its summary.
struct BatchTally {
  std::size_t bad_lines = 0;       // input lines that could not be run (each reported)
  std::size_t skipped = 0;         // items already in the output
  std::size_t skipped_errors = 0;  // of those, the ones whose line there is an error
  std::size_t not_run = 0;         // items cancelled or never started after Ctrl-C
  bool interrupted = false;
};

// The batch's progress on stderr: a bar redrawn in place when stderr is a terminal (done,
// failed, rate, ETA), fitted to the terminal's width so that it never wraps, and a summary
// at the end in any case: what ran, then the totals by model.
class BatchProgress {
 public:
  // `terminal_fd`: the terminal the bar is drawn on (its width is asked on each redraw);
  // -1 when `out` is not a terminal: no bar.
  BatchProgress(std::ostream& out, std::size_t total, int terminal_fd);

  void item_done(bool ok);
  void finish(const BatchTally& tally, const BatchTotals& totals);

  std::size_t failed() const noexcept { return failed_; }

 private:
  void draw();

  std::ostream& out_;
  std::size_t total_;
  int terminal_fd_;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace llmrt::cli
