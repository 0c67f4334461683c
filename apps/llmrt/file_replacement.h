#pragma once

#include <functional>
#include <string>

#include "output_file.h"

namespace llmrt::cli {

// Replaces the file at `path` with what `write` writes, atomically: the lines go to a new file
// of a name no one else uses, in the same folder, which is renamed over it once whole. A
// symbolic link is followed (its target is replaced, the link stays) and the file's permission
// bits are kept. A path that names something other than a regular file (a FIFO, a terminal,
// /dev/null) is refused: renaming over it would put a file in its place. `write` returns false
// when it stopped (the file is then left as it was). Returns the error, or "".
std::string replace_file(const std::string& path, const std::function<bool(OutputFile&)>& write);

}  // namespace llmrt::cli
