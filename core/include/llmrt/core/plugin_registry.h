#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/sdk/provider.h"

namespace llmrt::core {

enum class LoadErrorKind {
  missing_file,
  not_a_library,        // dlopen refused it: not an ELF shared object, wrong architecture…
  load_failed,          // a library, but it could not be loaded (an undefined symbol, …)
  missing_entry_point,  // no llmrt_plugin_info symbol
  abi_mismatch,
  build_mismatch,
  layout_mismatch,  // built against SDK headers whose types have another layout (abi_layout.h)
  duplicate_name,
  create_failed,  // the plugin's create() returned null, or its provider's info() threw
};

std::string_view to_string(LoadErrorKind kind) noexcept;

// Why one file was not loaded. The message names the file and, where they differ, both
// versions or build tags.
struct LoadError {
  LoadErrorKind kind{};
  std::filesystem::path path{};
  std::string message{};
};

struct PluginInfo {
  std::string name{};
  std::string version{};
  std::uint32_t abi_version = 0;
  std::string build_tag{};
  std::filesystem::path path{};
  ProviderInfo provider{};
};

// The folders searched after explicit paths: each entry of LLMRT_PLUGIN_PATH (colon-separated),
// then the installed plugin folder (lib/llmrt/plugins beside the running program's prefix, and
// the folder this llmrt was configured to install into). Never the current directory.
std::vector<std::filesystem::path> default_plugin_dirs();

// Owns the loaded plugin libraries and one Provider per plugin. Libraries stay loaded for the
// life of the process; each Provider handed out also keeps its library alive. Loading reports
// problems as values: a bad file in a plugin folder is expected and never stops the others.
class PluginRegistry {
 public:
  PluginRegistry();
  ~PluginRegistry();
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;
  PluginRegistry(PluginRegistry&&) noexcept;
  PluginRegistry& operator=(PluginRegistry&&) noexcept;

  // Loads one plugin file. Returns the reason when it was not loaded.
  std::optional<LoadError> load_file(const std::filesystem::path& file);
  // Loads every "*.so" file directly in `dir`, in name order. A missing folder is no error.
  std::vector<LoadError> load_directory(const std::filesystem::path& dir);
  // Explicit files or folders first, then default_plugin_dirs(). The first plugin of a name
  // wins; a later one of the same name is a duplicate_name error.
  std::vector<LoadError> discover(const std::vector<std::filesystem::path>& explicit_paths = {});

  std::vector<PluginInfo> plugins() const;
  // Null when no plugin of that name is loaded.
  std::shared_ptr<const Provider> find_provider(std::string_view name) const;
  // Throws Error (not_found) naming the plugins that are loaded.
  std::shared_ptr<const Provider> get_provider(std::string_view name) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmrt::core
