#include "output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "llmrt/sdk/error.h"

namespace llmrt::cli {

OutputFile::OutputFile(const std::string& path, Mode mode, mode_t permissions) : path_(path) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (mode == Mode::append ? O_APPEND : O_EXCL);
  fd_ = ::open(path.c_str(), flags, permissions);
  if (fd_ < 0) {
    throw Error(ErrorKind::bad_request,
                "cannot write " + path + ": " +
                    (errno == EISDIR ? "is a directory" : std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd_, &st) == 0) size_ = static_cast<std::size_t>(st.st_size);
}

OutputFile::~OutputFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool OutputFile::write_line(std::string_view line) {
  if (failed() || fd_ < 0) return false;
  // One write() per line as a rule, so lines from a killed run are cut at most once, at the end.
  line_.assign(line);
  line_ += '\n';
  std::size_t written = 0;
  while (written < line_.size()) {
    const ssize_t n = ::write(fd_, line_.data() + written, line_.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      fail(n < 0 ? errno : EIO);
      return false;
    }
    written += static_cast<std::size_t>(n);
  }
  size_ += written;
  return true;
}

void OutputFile::fail(int error_number) {
  error_ = "cannot write " + path_ + ": " + std::strerror(error_number);
  // Part of the line may be in the file (a write cut short at the size limit): take it out, so
  // that a rerun finds only whole lines. If this fails too, the rerun drops the cut line.
  if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
    // Nothing more to do: the error above is what the user must know.
  }
}

bool OutputFile::close() {
  if (fd_ >= 0) {
    const int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0 && !failed()) error_ = "cannot write " + path_ + ": " + std::strerror(errno);
  }
  return !failed();
}

}  // namespace llmrt::cli
