#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "llmrt/core/param_overrides.h"

namespace llmrt::cli {

// --tools FILE and --tool-choice auto|none|required|NAME: the "tools" and "tool_choice"
// parameters without writing JSON on the command line.
struct ToolOptions {
  std::string tools_source;  // a file of OpenAI's tools array, or - (stdin)
  std::string tool_choice;

  void add_to(CLI::App& command);
  // Sets "tools" and "tool_choice" on `overrides` (they win over --param). Throws Error
  // (bad_request) naming --tools and the file, or --tool-choice, when either is wrong.
  void apply(core::ParamOverrides& overrides) const;
};

}  // namespace llmrt::cli
