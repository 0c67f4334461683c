#include "batch_progress.h"

#include <cstdio>
#include <string>

namespace llmrt::cli {
namespace {

// Redraw at most this often: a fast batch would otherwise spend its time on the terminal.
constexpr std::chrono::milliseconds kRedraw{100};
constexpr int kBarWidth = 30;

}  // namespace

BatchProgress::BatchProgress(std::ostream& out, std::size_t total, bool terminal)
    : out_(out), total_(total), terminal_(terminal) {}

void BatchProgress::item_done(bool ok) {
  ++done_;
  if (!ok) ++failed_;
  if (!terminal_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < kRedraw && done_ < total_) return;
  last_draw_ = now;
  draw();
}

void BatchProgress::draw() {
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
  int filled = total_ == 0 ? kBarWidth : static_cast<int>(kBarWidth * done_ / total_);
  char line[160];
  std::snprintf(line, sizeof line, "\r[%s%s] %zu/%zu done, %zu failed, %.1f/s, ETA %.0f s ",
                std::string(static_cast<std::size_t>(filled), '#').c_str(),
                std::string(static_cast<std::size_t>(kBarWidth - filled), '.').c_str(), done_,
                total_, failed_, rate, rate > 0 ? static_cast<double>(total_ - done_) / rate : 0.0);
  out_ << line << std::flush;
}

void BatchProgress::finish(std::size_t skipped) {
  if (terminal_ && total_ > 0) {
    draw();
    out_ << "\n";
  }
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  char line[200];
  std::snprintf(line, sizeof line,
                "llmrt batch: %zu run, %zu succeeded, %zu failed, %zu skipped (already in the "
                "output) in %.1f s\n",
                done_, done_ - failed_, failed_, skipped, elapsed);
  out_ << line << std::flush;
}

}  // namespace llmrt::cli
