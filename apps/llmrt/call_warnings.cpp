#include "call_warnings.h"

#include <algorithm>
#include <iostream>

#include "llmrt/core/log.h"
#include "terminal_text.h"

namespace llmrt::cli {

void print_warnings(const std::vector<std::string>& warnings, std::ostream& err) {
  if (!core::log_enabled(core::LogLevel::warn)) return;  // --log-level off or error
  for (const std::string& w : warnings) err << "llmrt: warning: " << printable(w) << "\n";
  err.flush();
}

LogWithoutShownWarnings::LogWithoutShownWarnings(const std::string& provider,
                                                 const std::vector<std::string>& shown) {
  if (shown.empty()) return;
  std::vector<std::string> lines;
  lines.reserve(shown.size());
  for (const std::string& w : shown) lines.push_back(provider + ": " + w);
  core::set_log_sink([lines = std::move(lines)](core::LogLevel level, std::string_view line) {
    if (level == core::LogLevel::warn &&
        std::find(lines.begin(), lines.end(), line) != lines.end()) {
      return;
    }
    // The core's own format (its sink when none is set).
    static constexpr const char* kNames[] = {"off", "error", "warn", "info", "debug"};
    std::cerr << "llmrt [" << kNames[static_cast<int>(level)] << "] " << line << "\n";
  });
}

LogWithoutShownWarnings::~LogWithoutShownWarnings() { core::set_log_sink(nullptr); }

}  // namespace llmrt::cli
