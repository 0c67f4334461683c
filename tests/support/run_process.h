#pragma once

#include <string>
#include <vector>

namespace llmrt::test {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  long max_rss_kb = 0;  // the child's peak resident memory
};

// Runs a program with arguments (no shell), feeding `input` on stdin, and waits for it.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input = {});

// Built with AddressSanitizer or ThreadSanitizer (this test and, from the same build, the program
// it runs): such a program reserves terabytes of address space at start, so an address-space
// limit (`prlimit --as`) stops it before main().
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitizedBuild = true;
#else
inline constexpr bool kSanitizedBuild = false;
#endif

// stdout split into lines, without the newlines.
std::vector<std::string> lines_of(const std::string& text);

}  // namespace llmrt::test
