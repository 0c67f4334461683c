#include "metrics_file.h"

#include <cstdio>
#include <exception>
#include <filesystem>

#include "llmrt/sdk/error.h"
#include "output_file.h"

namespace llmrt::cli {
namespace {

// Returns the error, or "" once `path` holds `text`.
std::string replace_file(const std::string& path, const std::string& text) {
  // In the same folder: a rename within a file system is atomic.
  const std::string temp = path + ".tmp";
  try {
    OutputFile out(temp, OutputFile::Mode::truncate);
    // The text ends with a newline, which write_line adds back.
    const std::string_view body = text.empty() || text.back() != '\n'
                                      ? text
                                      : std::string_view(text).substr(0, text.size() - 1);
    out.write_line(body);
    if (!out.close()) {
      std::error_code ignored;
      std::filesystem::remove(temp, ignored);
      return out.error();
    }
  } catch (const Error& e) {
    return e.info().message;
  }
  std::error_code error;
  std::filesystem::rename(temp, path, error);
  if (error) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    return "cannot write " + path + ": " + error.message();
  }
  return {};
}

}  // namespace

MetricsFile::MetricsFile(std::string path, std::function<std::string()> text)
    : path_(std::move(path)), text_(std::move(text)) {
  if (std::string error = replace_file(path_, text_()); !error.empty()) {
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
  if (error.empty()) error = replace_file(path_, text);
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
