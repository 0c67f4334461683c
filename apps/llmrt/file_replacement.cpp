#include "file_replacement.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <exception>
#include <filesystem>

#include "llmrt/sdk/error.h"

namespace llmrt::cli {
namespace {

namespace fs = std::filesystem;

// The file a path names: symbolic links followed, a dangling one too (the file it names is
// made, the link stays). The path itself past 40 links (a loop).
fs::path resolved(const std::string& path) {
  fs::path at(path);
  for (int links = 0; links < 40; ++links) {
    std::error_code error;
    if (!fs::is_symlink(fs::symlink_status(at, error)) || error) return at;
    const fs::path target = fs::read_symlink(at, error);
    if (error) return at;
    at = target.is_absolute() ? target : at.parent_path() / target;
  }
  return fs::path(path);
}

// A new file beside `target` that no other writer uses: created exclusively, under a short name
// with this process's id and a count (a fixed "PATH.tmp" would be truncated and renamed away
// under another file of that name; the target's own name could make it too long), with
// `permissions` from the start: the lines are never readable by more people than the file's.
OutputFile create_beside(const fs::path& target, mode_t permissions, fs::path& temp) {
  static std::atomic<unsigned> count{0};
  for (;;) {
    temp = target.parent_path() /
           (".llmrt-" + std::to_string(::getpid()) + "-" + std::to_string(++count) + ".tmp");
    try {
      return OutputFile(temp.string(), OutputFile::Mode::create_new, permissions);
    } catch (const Error&) {
      std::error_code error;
      if (!fs::exists(fs::symlink_status(temp, error))) throw;  // not taken: it cannot be made
    }
  }
}

}  // namespace

std::string replace_file(const std::string& path, const std::function<bool(OutputFile&)>& write) {
  const fs::path target = resolved(path);
  struct stat existing {};
  const bool exists = ::stat(target.c_str(), &existing) == 0;
  if (exists && !S_ISREG(existing.st_mode)) {
    return "cannot write " + path + ": not a regular file (it is replaced whole on each write)";
  }
  const mode_t permissions = exists ? existing.st_mode & 07777 : 0666;
  fs::path temp;
  std::string failure;
  try {
    OutputFile out = create_beside(target, permissions, temp);
    const bool whole = write(out);
    if (!out.close() || !whole)
      failure = out.error().empty() ? "cannot write " + path : out.error();
  } catch (const Error& e) {
    failure = e.info().message;
  } catch (const std::exception& e) {
    failure = "cannot write " + path + ": " + e.what();
  }
  std::error_code error;
  // The umask may have taken bits the file had: it keeps them all.
  if (failure.empty() && exists) fs::permissions(temp, static_cast<fs::perms>(permissions), error);
  if (failure.empty() && !error) fs::rename(temp, target, error);
  if (failure.empty() && error) failure = "cannot write " + path + ": " + error.message();
  if (!failure.empty() && !temp.empty()) {
    std::error_code ignored;
    fs::remove(temp, ignored);
  }
  return failure;
}

}  // namespace llmrt::cli
