#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "commands.h"
#include "llmrt/core/log.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/version.h"
#include "standard_descriptors.h"
#include "stdout_sink.h"
#include "terminal_text.h"
#include "unknown_command.h"

namespace {

int run(int argc, char** argv) {
  using namespace llmrt::cli;
  CLI::App app{"llmrt " LLMRT_VERSION_STRING " — talk to LLM APIs through provider plugins",
               "llmrt"};
  app.require_subcommand(1);
  // Global options are taken after the command too (`llmrt chat --log-level debug hi`):
  // subcommands inherit this and hand options they do not know to the top level.
  app.fallthrough();
  app.set_version_flag("--version", LLMRT_VERSION_STRING);
  GlobalOptions global;
  global.argv.assign(argv, argv + argc);
  app.add_option("--plugin", global.plugin_paths,
                 "Plugin file or folder to load first (repeatable)")
      ->allow_extra_args(false)
      ->check(CLI::ExistingPath);

  app.add_option("--log-level", global.log_level,
                 "Diagnostics on stderr: off, error, warn, info, debug (default $LLMRT_LOG or "
                 "warn); keys are only ever shown as …last4")
      ->check(CLI::IsMember({"off", "error", "warn", "info", "debug"}));

  const std::vector<Command> commands{
      add_plugins_command(app, global), add_chat_command(app, global),
      add_batch_command(app, global),   add_decode_command(app, global),
      add_mock_server_command(app),     add_demo_command(app, global),
      add_tokenize_command(app),        add_test_plugin_command(app)};

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const bool no_command = std::none_of(commands.begin(), commands.end(),
                                         [](const Command& c) { return c.subcommand->parsed(); });
    // CLI11 says only "A subcommand is required" for both a missing and a mistyped command (an
    // unknown option, `llmrt -x`, keeps CLI11's message naming it).
    const std::optional<std::string> word = command_word(argc, argv);
    const bool required = dynamic_cast<const CLI::RequiredError*>(&e) != nullptr;
    const bool extra = dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr;
    if (no_command && (word ? required || extra : required)) {
      if (auto option = unknown_global_option(argc, argv); option && !word) {
        std::cerr << "llmrt: unknown option '" << printable(*option)
                  << "' (global options: --plugin, --log-level, --version, --help)\n";
      }
      std::cerr << command_error(word, app);
      return kExitUsage;
    }
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  // The library is quiet by default; the command shows warnings unless told otherwise.
  if (auto level = llmrt::core::parse_log_level(global.log_level)) {
    llmrt::core::set_log_level(*level);
  } else if (const char* env = std::getenv("LLMRT_LOG"); env == nullptr || *env == '\0') {
    llmrt::core::set_log_level(llmrt::core::LogLevel::warn);
  } else if (!llmrt::core::parse_log_level(env)) {
    // The library then shows warnings; a misspelt "debug" must not pass for one that works.
    std::cerr << "llmrt: $LLMRT_LOG: unknown level '" << printable(env)
              << "' (off, error, warn, info, debug): warnings are shown\n";
  }
  for (const Command& command : commands) {
    if (!command.subcommand->parsed()) continue;
    try {
      return command.run();
    } catch (const llmrt::Error& e) {
      // Errors outside a call (configuration, keys, a missing plugin) are usage errors.
      std::cerr << "llmrt: " << printable(e) << "\n";
      return kExitUsage;
    } catch (const std::exception& e) {
      // Never std::terminate: out of memory or a failed system call is reported like a failure.
      std::cerr << "llmrt: " << printable(e.what()) << "\n";
      return kExitCallFailed;
    }
  }
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  llmrt::cli::hold_closed_standard_descriptors();
  // Writes fail with an error instead of killing the process: EPIPE when stdout's reader or a
  // server went away (OpenSSL writes to sockets without MSG_NOSIGNAL), EFBIG past a file-size
  // limit. Both are then reported (see StdoutSink and OutputFile).
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);
  llmrt::cli::StdoutSink stdout_sink;
  int status = llmrt::cli::kExitCallFailed;
  try {
    status = run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "llmrt: " << llmrt::cli::printable(e.what()) << "\n";
  }
  return stdout_sink.finish(status, std::cerr);
}
