#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace llmrt::cli {

// A file holding the Prometheus text of a model's counters (--metrics FILE), for a scraper or a
// node exporter's textfile collector to read while a command runs. Each write replaces the file
// whole (a temporary file in the same folder, renamed over it), so a reader never sees half of
// one.
class MetricsFile {
 public:
  // Writes `text()` at once, so that a file that cannot be written is found before any call.
  // Throws Error (bad_request) "--metrics PATH: cannot write …".
  MetricsFile(std::string path, std::function<std::string()> text);
  // Stops the periodic writes; writes nothing more.
  ~MetricsFile();
  MetricsFile(const MetricsFile&) = delete;
  MetricsFile& operator=(const MetricsFile&) = delete;

  // Writes the text again every `interval` on a thread of its own, until finish().
  void write_every(std::chrono::milliseconds interval);
  // Stops the periodic writes and writes the text a last time. Returns what went wrong since
  // the constructor ("--metrics PATH: cannot write …": the first failure), or "" when nothing
  // did.
  std::string finish();

 private:
  void write();
  void stop();

  std::string path_;
  std::function<std::string()> text_;
  std::mutex mutex_;  // one write at a time; guards error_ and stopping_
  std::condition_variable wake_;
  bool stopping_ = false;
  std::string error_;
  std::thread thread_;
};

}  // namespace llmrt::cli
