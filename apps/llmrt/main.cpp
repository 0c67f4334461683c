#include <iostream>

#include "commands.h"
#include "llmrt/core/log.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/version.h"

int main(int argc, char** argv) {
  using namespace llmrt::cli;
  CLI::App app{"llmrt " LLMRT_VERSION_STRING " — talk to LLM APIs through provider plugins",
               "llmrt"};
  app.require_subcommand(1);
  app.set_version_flag("--version", LLMRT_VERSION_STRING);
  GlobalOptions global;
  app.add_option("--plugin", global.plugin_paths,
                 "Plugin file or folder to load first (repeatable)")
      ->allow_extra_args(false);

  app.add_option("--log-level", global.log_level,
                 "Diagnostics on stderr: off, error, warn, info, debug (default $LLMRT_LOG or "
                 "warn); keys are only ever shown as …last4")
      ->check(CLI::IsMember({"off", "error", "warn", "info", "debug"}));

  const std::vector<Command> commands{
      add_plugins_command(app, global), add_chat_command(app, global),
      add_batch_command(app, global),   add_decode_command(app, global),
      add_mock_server_command(app),     add_demo_command(app, global),
      add_tokenize_command(app)};

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (auto level = llmrt::core::parse_log_level(global.log_level)) {
    llmrt::core::set_log_level(*level);
  }
  for (const Command& command : commands) {
    if (!command.subcommand->parsed()) continue;
    try {
      return command.run();
    } catch (const llmrt::Error& e) {
      // Errors outside a call (configuration, keys, a missing plugin) are usage errors.
      std::cerr << "llmrt: " << e.what() << "\n";
      return kExitUsage;
    }
  }
  return kExitUsage;
}
