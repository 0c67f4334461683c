#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace llmrt::cli {

// The command word of argv: the first argument that is neither an option nor the value of a
// global option. Empty when there is none.
std::optional<std::string> command_word(int argc, const char* const* argv);

// The first argument before the command that is an option but not a global one ("-x").
std::optional<std::string> unknown_global_option(int argc, const char* const* argv);

// The usage error for a missing command (`given` empty) or an unknown one: names it, suggests
// the nearest command when one is close, and lists the commands with what they do.
std::string command_error(const std::optional<std::string>& given, const CLI::App& app);

}  // namespace llmrt::cli
