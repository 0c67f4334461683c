#include <iostream>
#include <memory>
#include <sstream>

#include "commands.h"
#include "llmrt/core/plugin_registry.h"
#include "llmrt/kit/cases.h"
#include "terminal_text.h"

namespace llmrt::cli {
namespace {

struct TestPluginOptions {
  std::string plugin;
  std::string dir;
  bool update = false;
};

int test_plugin(const TestPluginOptions& o) {
  // This file alone, loaded as the runtime loads it: a plugin of the same name elsewhere on the
  // search path must not stand in for the one under test.
  core::PluginRegistry registry;
  if (auto error = registry.load_file(o.plugin)) {
    std::cerr << "llmrt test-plugin: " << printable(error->message) << "\n";
    return kExitUsage;
  }
  const std::vector<core::PluginInfo> plugins = registry.plugins();
  std::shared_ptr<const Provider> provider = registry.get_provider(plugins.front().name);
  std::ostringstream err;
  const int status = kit::run_cases(*provider, o.dir, {.update = o.update}, std::cout, err);
  std::istringstream lines(err.str());
  for (std::string line; std::getline(lines, line);) {
    std::cerr << "llmrt test-plugin: " << printable(line) << "\n";
  }
  return status;
}

}  // namespace

Command add_test_plugin_command(CLI::App& app) {
  auto o = std::make_shared<TestPluginOptions>();
  CLI::App* cmd = app.add_subcommand(
      "test-plugin",
      "Run a plugin's test cases: recorded bodies replayed whole, one byte at a time and split "
      "at every offset against golden --events lines, and build_request against golden "
      "requests (docs/writing-a-plugin.md, \"The test kit\"). Exit 0 all passed, 1 some failed");
  cmd->add_option("PLUGIN", o->plugin, "The plugin file (.so)")->required();
  cmd->add_option("DIR", o->dir, "The folder of cases: NAME.body, NAME.events.jsonl, …")
      ->required();
  cmd->add_flag("--update", o->update,
                "Write the golden files (NAME.events.jsonl, NAME.http.json) from what the "
                "plugin gives instead of checking them");
  return {cmd, [o] { return test_plugin(*o); }};
}

}  // namespace llmrt::cli
