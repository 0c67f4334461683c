#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace llmrt::cli {

// "llmrt: warning: MESSAGE" on `err` for each of what the plugin dropped or changed in the
// request (HttpRequest::warnings): the plain-text form of --events' warning lines.
void print_warnings(const std::vector<std::string>& warnings, std::ostream& err);

// While alive, the log leaves out its copy of the warnings the command prints itself (the core
// logs each as "PROVIDER: MESSAGE" at warn), so that the user reads each once; every other line
// goes to stderr as the core writes it. One per process at a time: it holds the log sink.
class LogWithoutShownWarnings {
 public:
  LogWithoutShownWarnings(const std::string& provider, const std::vector<std::string>& shown);
  ~LogWithoutShownWarnings();
  LogWithoutShownWarnings(const LogWithoutShownWarnings&) = delete;
  LogWithoutShownWarnings& operator=(const LogWithoutShownWarnings&) = delete;
};

}  // namespace llmrt::cli
