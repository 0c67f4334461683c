#include "metrics_file.h"

#include <exception>

#include "file_replacement.h"
#include "llmrt/sdk/error.h"

namespace llmrt::cli {
namespace {

// Writes `text`, which ends with a newline (write_line adds it back).
std::function<bool(OutputFile&)> lines_of(const std::string& text) {
  return [text](OutputFile& out) {
    const std::string_view body = text.empty() || text.back() != '\n'
                                      ? text
                                      : std::string_view(text).substr(0, text.size() - 1);
    return out.write_line(body);
  };
}

}  // namespace

MetricsFile::MetricsFile(std::string path, std::function<std::string()> text)
    : path_(std::move(path)), text_(std::move(text)) {
  if (std::string error = replace_file(path_, lines_of(text_())); !error.empty()) {
    throw Error(ErrorKind::bad_request, "--metrics " + path_ + ": " + error);
  }
}

MetricsFile::~MetricsFile() { stop(); }

void MetricsFile::write_every(std::chrono::milliseconds interval) {
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
      lock.unlock();
      write();
      lock.lock();
    }
  });
}

void MetricsFile::write() {
  std::string text;
  std::string error;
  try {
    text = text_();
  } catch (const std::exception& e) {
    // On the writer's thread nothing may escape; the batch goes on, and the error is reported.
    error = std::string("cannot take the counters: ") + e.what();
  }
  std::lock_guard lock(mutex_);
  if (error.empty()) error = replace_file(path_, lines_of(text));
  // The first failure is the one to report: later ones usually repeat it.
  if (!error.empty() && error_.empty()) error_ = "--metrics " + path_ + ": " + error;
}

void MetricsFile::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string MetricsFile::finish() {
  stop();
  write();
  std::lock_guard lock(mutex_);
  return error_;
}

}  // namespace llmrt::cli
