#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace llmrt::cli {

// The most the CLI reads of one local input at once: a messages file or stdin, the text to
// tokenize, one line of a batch input. Far above any real conversation (a million tokens is
// about 4 MiB), and small enough that /dev/zero or a mistaken file is a clear error instead of
// std::bad_alloc.
inline constexpr std::size_t kMaxLocalInputBytes = std::size_t{64} << 20;

// The bytes of a file, or of stdin for "-". Throws Error (bad_request) naming the file ("stdin"
// for "-"), after `flag` when given ("--messages: cannot read m.json: …"), when it cannot be
// read, is a directory or holds more than `limit` bytes.
std::string read_local_input(const std::string& source, std::size_t limit = kMaxLocalInputBytes,
                             const std::string& flag = {});

// The lines of a file, one at a time in bounded memory; a line longer than `limit` is skipped
// and said to be too long, and the lines after it are read as usual (a "line" of more than
// 16 × `limit` bytes is an error: the file has no lines).
// How much of a line too long to read LineReader keeps: enough to tell what it is.
inline constexpr std::size_t kLongLineStart = 256;

class LineReader {
 public:
  struct Line {
    std::string text;  // without the newline
    std::size_t number = 0;
    bool too_long = false;   // more than `limit` bytes: `text` holds its first kLongLineStart
    bool terminated = true;  // false for a last line without its newline
  };

  // Throws Error (bad_request) when the file cannot be opened or is a directory. `stop`, when
  // given, is asked while a read waits (a pipe, a terminal): once it says true, the reading
  // ends as at the end of the file — Ctrl-C must not wait for a writer that may never close.
  LineReader(const std::string& path, std::size_t limit = kMaxLocalInputBytes,
             std::function<bool()> stop = {});
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line; false at the end of the file. Throws Error (bad_request) on a read error.
  bool next(Line& line);

 private:
  bool fill();

  std::string path_;
  std::size_t limit_;
  std::function<bool()> stop_;
  int fd_ = -1;
  std::string buffer_;
  std::size_t start_ = 0;  // the unread part of buffer_ begins here
  bool eof_ = false;
  bool stopped_ = false;  // by `stop`: a line cut short there is dropped
  std::size_t number_ = 0;
};

}  // namespace llmrt::cli
