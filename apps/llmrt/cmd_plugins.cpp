#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <iomanip>
#include <iostream>
#include <memory>

#include "commands.h"
#include "llmrt/core/plugin_registry.h"

namespace llmrt::cli {
namespace {

void print_json(const std::vector<core::PluginInfo>& plugins) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  auto text = [&w](const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartArray();
  for (const core::PluginInfo& p : plugins) {
    w.StartObject();
    text("name", p.name);
    text("version", p.version);
    w.Key("abi");
    w.Uint(p.abi_version);
    text("build", p.build_tag);
    text("path", p.path.string());
    text("api_base", p.provider.default_api_base);
    text("key_env", p.provider.key_env_var);
    text("description", p.provider.description);
    w.EndObject();
  }
  w.EndArray();
  std::cout << buffer.GetString() << "\n";
}

void print_table(const std::vector<core::PluginInfo>& plugins) {
  std::cout << std::left << std::setw(10) << "NAME" << std::setw(9) << "VERSION" << std::setw(5)
            << "ABI" << std::setw(34) << "API BASE" << std::setw(18) << "KEY VARIABLE"
            << "PATH\n";
  for (const core::PluginInfo& p : plugins) {
    std::cout << std::setw(10) << p.name << std::setw(9) << p.version << std::setw(5)
              << p.abi_version << std::setw(34) << p.provider.default_api_base << std::setw(18)
              << p.provider.key_env_var << p.path.string() << "\n";
  }
}

}  // namespace

Command add_plugins_command(CLI::App& app, const GlobalOptions& global) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("plugins", "List the provider plugins found");
  cmd->add_flag("--json", *json, "Print a JSON array");
  return {cmd, [json, &global] {
            core::PluginRegistry registry;
            std::vector<core::LoadError> errors =
                registry.discover({global.plugin_paths.begin(), global.plugin_paths.end()});
            for (const core::LoadError& e : errors) {
              std::cerr << "llmrt: skipped plugin (" << core::to_string(e.kind)
                        << "): " << e.message << "\n";
            }
            std::vector<core::PluginInfo> plugins = registry.plugins();
            if (*json) {
              print_json(plugins);
            } else {
              print_table(plugins);
            }
            return kExitOk;
          }};
}

}  // namespace llmrt::cli
