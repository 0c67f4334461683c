#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace llmrt::cli {

// Whole lines written to a file with write(2), each flushed at once: a crash or Ctrl-C loses
// nothing that was written. Every failure is noticed (a full disk, EFBIG past a file-size
// limit, an I/O error): the line that could not be written whole is cut off again, so the file
// always ends with a whole line, and nothing more is written. Not thread-safe.
class OutputFile {
 public:
  // create_new: the file must not exist yet (O_EXCL).
  enum class Mode { append, create_new };
  // Throws Error (bad_request) when the file cannot be opened for writing. A file made here
  // gets `permissions` less the umask.
  OutputFile(const std::string& path, Mode mode, mode_t permissions = 0666);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Appends `line` and a newline; false when this or an earlier write failed.
  bool write_line(std::string_view line);
  // Closes the file; false when closing or any write failed.
  bool close();

  bool failed() const noexcept { return !error_.empty(); }
  // "cannot write PATH: REASON" once something failed.
  const std::string& error() const noexcept { return error_; }

 private:
  void fail(int error_number);

  std::string path_;
  int fd_ = -1;
  std::size_t size_ = 0;  // the file's size: where the next line starts
  std::string line_;      // the line being written, with its newline
  std::string error_;
};

}  // namespace llmrt::cli
