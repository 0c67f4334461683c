#include "load_errors.h"

#include "terminal_text.h"

namespace llmrt::cli {

void report_load_errors(const std::vector<core::LoadError>& errors, std::ostream& err) {
  for (const core::LoadError& e : errors) {
    // A path and dlopen's words are bytes from the file system: no terminal controls.
    err << "llmrt: skipped plugin (" << core::to_string(e.kind) << "): " << printable(e.message)
        << "\n";
  }
}

}  // namespace llmrt::cli
