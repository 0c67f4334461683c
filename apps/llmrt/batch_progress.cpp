#include "batch_progress.h"

#include <sys/ioctl.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace llmrt::cli {
namespace {

// Redraw at most this often: a fast batch would otherwise spend its time on the terminal.
constexpr std::chrono::milliseconds kRedraw{100};
constexpr std::size_t kMaxBarWidth = 30;
constexpr std::size_t kMinBarWidth = 10;  // narrower, the numbers matter more than the bar

// The terminal's width: its own (TIOCGWINSZ), else $COLUMNS, else 80.
std::size_t terminal_columns(int fd) {
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    char* end = nullptr;
    const long n = std::strtol(columns, &end, 10);
    if (end != columns && *end == '\0' && n > 0 && n < 100000) return static_cast<std::size_t>(n);
  }
  return 80;
}

std::string format(const char* pattern, auto... values) {
  char text[160];
  const int n = std::snprintf(text, sizeof text, pattern, values...);
  return std::string(
      text, n < 0 ? 0 : std::min<std::size_t>(static_cast<std::size_t>(n), sizeof text - 1));
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

BatchProgress::BatchProgress(std::ostream& out, std::size_t total, int terminal_fd)
    : out_(out), total_(total), terminal_fd_(terminal_fd) {}

void BatchProgress::item_done(bool ok) {
  ++done_;
  if (!ok) ++failed_;
  if (terminal_fd_ < 0) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < kRedraw && done_ < total_) return;
  last_draw_ = now;
  draw();
}

void BatchProgress::draw() {
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
  double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0.0;
  // Writing into the last column makes many terminals wrap: one column stays free.
  const std::size_t room = terminal_columns(terminal_fd_) - 1;
  // The numbers, from the most to the least said; the first that leaves room for a bar wins.
  const std::string numbers[] = {
      format("%zu/%zu done, %zu failed, %.1f/s, ETA %.0f s", done_, total_, failed_, rate, eta),
      format("%zu/%zu done, %zu failed, ETA %.0f s", done_, total_, failed_, eta),
      format("%zu/%zu, %zu failed", done_, total_, failed_),
      format("%zu/%zu", done_, total_),
  };
  std::string line;
  for (const std::string& text : numbers) {
    const std::size_t used = text.size() + 3;  // "[", "] "
    if (used + kMinBarWidth > room && &text != &numbers[std::size(numbers) - 1]) continue;
    const std::size_t width = room > used ? std::min(room - used, kMaxBarWidth) : 0;
    const std::size_t filled = total_ == 0 ? width : width * done_ / total_;
    // Appended piece by piece: "[" + a temporary string trips GCC 12's -Wrestrict at -O3.
    line.assign(1, '[').append(filled, '#').append(width - filled, '.').append("] ").append(text);
    break;
  }
  if (line.size() > room) line.resize(room);
  // \r back to the start, the line, then erase what a longer earlier line left behind.
  out_ << "\r" << line << "\x1b[K" << std::flush;
}

void BatchProgress::finish(const BatchTally& tally, const BatchTotals& totals) {
  if (terminal_fd_ >= 0 && total_ > 0) {
    draw();
    out_ << "\n";
  }
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::string summary = "llmrt batch: ";
  if (tally.interrupted) summary += "interrupted: ";
  summary += std::to_string(done_) + " run, " + std::to_string(done_ - failed_) + " succeeded, " +
             std::to_string(failed_) + " failed, ";
  if (tally.interrupted) summary += std::to_string(tally.not_run) + " not run, ";
  summary += plural(tally.bad_lines, "bad input line", "bad input lines") + ", " +
             std::to_string(tally.skipped) + " skipped (already in the output)" +
             format(" in %.1f s", elapsed);
  out_ << summary << "\n";
  totals.print(out_);
  const std::size_t errors = failed_ + tally.bad_lines + tally.skipped_errors;
  if (errors > 0 && !tally.interrupted) {
    out_ << "llmrt batch: "
         << (errors == 1 ? std::string("1 of the items in the output is an error")
                         : std::to_string(errors) + " of the items in the output are errors")
         << ": --retry-failed runs them again\n";
  }
  out_ << std::flush;
}

}  // namespace llmrt::cli
