#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace llmrt::cli {

// Exit statuses of every command (ARCHITECTURE.md, "The command line").
inline constexpr int kExitOk = 0;
inline constexpr int kExitCallFailed = 1;
inline constexpr int kExitUsage = 2;
// stdout was closed by its reader (`| head`): the status of a process killed by SIGPIPE.
inline constexpr int kExitBrokenPipe = 128 + 13;

struct GlobalOptions {
  // --plugin: files or folders loaded before LLMRT_PLUGIN_PATH and the install folder.
  std::vector<std::string> plugin_paths;
  std::string log_level;          // --log-level; empty: $LLMRT_LOG or warn
  std::vector<std::string> argv;  // the command line as given (batch prints how to resume)
};

// Each command registers its subcommand and says what runs it once parsed.
struct Command {
  CLI::App* subcommand;
  std::function<int()> run;
};
Command add_plugins_command(CLI::App& app, const GlobalOptions& global);
Command add_chat_command(CLI::App& app, const GlobalOptions& global);
Command add_batch_command(CLI::App& app, const GlobalOptions& global);
Command add_decode_command(CLI::App& app, const GlobalOptions& global);
Command add_mock_server_command(CLI::App& app);
Command add_demo_command(CLI::App& app, const GlobalOptions& global);
Command add_tokenize_command(CLI::App& app);
Command add_test_plugin_command(CLI::App& app);

}  // namespace llmrt::cli
