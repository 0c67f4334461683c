#pragma once

#include <string>
#include <vector>

namespace llmrt::cli {

// A command line as a POSIX shell reads it back: each argument single-quoted when it holds
// anything but plain characters. Secrets are not shown: the value of a literal --key as
// …last4 (ENV and env:VAR stay, they are names), the userinfo of --api-base and --proxy URLs
// as "…". `masked` tells whether anything was hidden (the command is then not runnable as is).
std::string shell_command(const std::vector<std::string>& argv, bool& masked);

}  // namespace llmrt::cli
