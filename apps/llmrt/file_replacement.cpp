#include "file_replacement.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "llmrt/sdk/error.h"

namespace llmrt::cli {
namespace {

namespace fs = std::filesystem;

// The file a path names, through symbolic links; the path itself when it cannot be resolved.
fs::path resolved(const std::string& path) {
  std::error_code error;
  fs::path target = fs::weakly_canonical(path, error);
  return error ? fs::path(path) : target;
}

// A new file beside `target` that no other writer uses: created exclusively, under a name with
// this process's id and a count. A fixed "PATH.tmp" would be truncated and renamed away under
// another file of that name (another --metrics, an --output ending in .tmp).
OutputFile create_beside(const fs::path& target, fs::path& temp) {
  static std::atomic<unsigned> count{0};
  for (;;) {
    temp = target.parent_path() / ("." + target.filename().string() + ".llmrt-" +
                                   std::to_string(::getpid()) + "-" + std::to_string(++count));
    try {
      return OutputFile(temp.string(), OutputFile::Mode::create_new);
    } catch (const Error&) {
      if (!fs::exists(fs::symlink_status(temp))) throw;  // not taken: it cannot be created
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
  fs::path temp;
  try {
    OutputFile out = create_beside(target, temp);
    const bool whole = write(out);
    if (!out.close() || !whole) {
      std::error_code ignored;
      fs::remove(temp, ignored);
      return out.error().empty() ? "cannot write " + path : out.error();
    }
  } catch (const Error& e) {
    return e.info().message;
  }
  std::error_code error;
  if (exists) {
    fs::permissions(temp, static_cast<fs::perms>(existing.st_mode & 07777), error);
  }
  if (!error) fs::rename(temp, target, error);
  if (error) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    return "cannot write " + path + ": " + error.message();
  }
  return {};
}

}  // namespace llmrt::cli
