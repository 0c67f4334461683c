#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include "commands.h"
#include "llmrt/core/plugin_registry.h"
#include "llmrt/core/utf8.h"
#include "load_errors.h"

namespace llmrt::cli {
namespace {

void print_json(const std::vector<core::PluginInfo>& plugins) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  auto text = [&w](const char* key, const std::string& value) {
    w.Key(key);
    const std::string valid = core::repair_utf8(value);  // a path is bytes; JSON is UTF-8
    w.String(valid.c_str(), static_cast<rapidjson::SizeType>(valid.size()));
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
    text("base_url_env", p.provider.base_url_env_var);
    text("description", p.provider.description);
    w.Key("options");
    w.StartArray();
    for (const std::string& option : p.provider.options) {
      const std::string valid = core::repair_utf8(option);
      w.String(valid.c_str(), static_cast<rapidjson::SizeType>(valid.size()));
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  std::cout << buffer.GetString() << "\n";
}

// The --option keys a plugin reads, as one cell: "-" when it reads none.
std::string options_cell(const std::vector<std::string>& options) {
  std::string cell;
  for (const std::string& option : options) cell += (cell.empty() ? "" : ",") + option;
  return cell.empty() ? "-" : cell;
}

void print_table(const std::vector<core::PluginInfo>& plugins) {
  std::vector<std::vector<std::string>> rows{{"NAME", "VERSION", "ABI", "API BASE", "KEY VARIABLE",
                                              "BASE URL VARIABLE", "OPTIONS", "PATH"}};
  for (const core::PluginInfo& p : plugins) {
    // "-": the provider has no such variable (Ollama needs no key).
    auto cell = [](const std::string& text) { return text.empty() ? std::string("-") : text; };
    rows.push_back({p.name, p.version, std::to_string(p.abi_version), p.provider.default_api_base,
                    cell(p.provider.key_env_var), cell(p.provider.base_url_env_var),
                    options_cell(p.provider.options), p.path.string()});
  }
  std::vector<std::size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      std::cout << row[i];
      if (i + 1 < row.size()) std::cout << std::string(widths[i] - row[i].size() + 2, ' ');
    }
    std::cout << "\n";
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
            report_load_errors(errors, std::cerr);
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
