#include "llmrt/core/plugin_registry.h"

#include <dlfcn.h>
#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <cstring>
#include <map>
#include <mutex>

#include "install_dirs.h"
#include "llmrt/sdk/plugin_abi.h"
#include "plugins/layout_check.h"
#include "plugins/search_path.h"

namespace llmrt::core {
namespace {

namespace fs = std::filesystem;
using Library = boost::dll::shared_library;

// rtld_now: an unresolved symbol fails here, not later in the middle of a call.
// RTLD_NODELETE: a plugin's code stays mapped for the life of the process even after its last
// handle closes, because objects made by it can outlive every Provider — an exception thrown
// in the plugin and caught after the runtime is gone still needs its vtable (Boost.DLL's
// "missuses" list). Boost.DLL passes native dlopen flags through.
const boost::dll::load_mode::type kLoadMode =
    boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
    static_cast<boost::dll::load_mode::type>(RTLD_NODELETE);

LoadError error(LoadErrorKind kind, const fs::path& path, const std::string& message) {
  return LoadError{kind, path, path.string() + ": " + message};
}

// dlopen's own words tell a file that is no shared object from one that failed to link.
LoadErrorKind classify_dlopen_failure(std::string_view what) {
  for (std::string_view sign : {"invalid ELF header", "file too short", "wrong ELF class",
                                "not a dynamic", "only ET_DYN and ET_EXEC"}) {
    if (what.find(sign) != std::string_view::npos) return LoadErrorKind::not_a_library;
  }
  return LoadErrorKind::load_failed;
}

// Boost.DLL wraps dlopen's message in its own words and appends an unrelated errno text
// ("… (dlerror system message: /x.so: file too short): Bad file descriptor"): keep dlopen's.
std::string dlopen_reason(const std::string& what) {
  const std::string_view marker = "dlerror system message: ";
  std::size_t at = what.find(marker);
  if (at == std::string::npos) return what;
  std::string reason = what.substr(at + marker.size());
  if (std::size_t end = reason.rfind("):"); end != std::string::npos) reason.resize(end);
  return "cannot be loaded: " + reason;
}

std::string version_text(std::uint32_t abi) { return "ABI version " + std::to_string(abi); }

}  // namespace

std::string_view to_string(LoadErrorKind kind) noexcept {
  switch (kind) {
    case LoadErrorKind::missing_file:
      return "missing_file";
    case LoadErrorKind::not_a_library:
      return "not_a_library";
    case LoadErrorKind::load_failed:
      return "load_failed";
    case LoadErrorKind::missing_entry_point:
      return "missing_entry_point";
    case LoadErrorKind::abi_mismatch:
      return "abi_mismatch";
    case LoadErrorKind::build_mismatch:
      return "build_mismatch";
    case LoadErrorKind::layout_mismatch:
      return "layout_mismatch";
    case LoadErrorKind::duplicate_name:
      return "duplicate_name";
    case LoadErrorKind::create_failed:
      return "create_failed";
  }
  return "unknown";
}

std::vector<fs::path> default_plugin_dirs() {
  std::vector<fs::path> dirs = folders_from_env("LLMRT_PLUGIN_PATH");
  // lib/libllmrt_core.so → lib/llmrt/plugins, wherever the core is installed (the build tree
  // has the same shape); then bin/<program> → ../lib/llmrt/plugins for a copied program.
  std::error_code ec;
  fs::path core_library = boost::dll::this_line_location(ec).native();
  if (!ec) dirs.push_back(core_library.parent_path() / "llmrt" / "plugins");
  fs::path program = boost::dll::program_location(ec).native();
  if (!ec) dirs.push_back(program.parent_path().parent_path() / kPluginDirBelowPrefix);
  dirs.emplace_back(kInstalledPluginDir);
  // The same folder reached twice (build tree inside the prefix) is scanned once.
  return unique_folders(dirs);
}

// Outside the anonymous namespace: Impl has linkage, and a member of a type without it is
// reported (-Wsubobject-linkage) when this file is compiled as part of a unity batch.
struct LoadedPlugin {
  PluginInfo info;
  std::shared_ptr<const Provider> provider;
};

struct PluginRegistry::Impl {
  mutable std::mutex mutex;
  std::map<std::string, LoadedPlugin, std::less<>> plugins;
};

PluginRegistry::PluginRegistry() : impl_(std::make_unique<Impl>()) {}
PluginRegistry::~PluginRegistry() = default;
PluginRegistry::PluginRegistry(PluginRegistry&&) noexcept = default;
PluginRegistry& PluginRegistry::operator=(PluginRegistry&&) noexcept = default;

std::optional<LoadError> PluginRegistry::load_file(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return error(LoadErrorKind::missing_file, file, "no such file");
  if (!fs::is_regular_file(file, ec)) {
    return error(LoadErrorKind::not_a_library, file, "not a regular file");
  }

  {
    // The same file named twice (--plugin given the install folder, a link to a plugin) is
    // one plugin, not a duplicate of itself.
    std::lock_guard lock(impl_->mutex);
    for (const auto& [name, loaded] : impl_->plugins) {
      if (fs::equivalent(loaded.info.path, file, ec)) return std::nullopt;
    }
  }
  auto library = std::make_shared<Library>();
  try {
    library->load(boost::dll::fs::path(file.native()), kLoadMode);
  } catch (const std::exception& e) {
    return error(classify_dlopen_failure(e.what()), file, dlopen_reason(e.what()));
  }
  if (!library->has(LLMRT_PLUGIN_ENTRY_POINT)) {
    return error(LoadErrorKind::missing_entry_point, file,
                 "no entry point '" LLMRT_PLUGIN_ENTRY_POINT "': not an llmrt plugin");
  }
  // The only call made before the checks below: a C function returning a static struct.
  const llmrt_plugin_descriptor* d = library->get<llmrt_plugin_info_fn>(LLMRT_PLUGIN_ENTRY_POINT)();
  if (d == nullptr) {
    return error(LoadErrorKind::missing_entry_point, file, "entry point returned no descriptor");
  }
  if (d->abi_version != LLMRT_PLUGIN_ABI_VERSION) {
    return error(LoadErrorKind::abi_mismatch, file,
                 "plugin built for " + version_text(d->abi_version) + ", this llmrt has " +
                     version_text(LLMRT_PLUGIN_ABI_VERSION));
  }
  if (d->struct_size < sizeof(llmrt_plugin_descriptor)) {
    return error(LoadErrorKind::abi_mismatch, file,
                 "plugin descriptor has " + std::to_string(d->struct_size) + " bytes, " +
                     version_text(LLMRT_PLUGIN_ABI_VERSION) + " needs " +
                     std::to_string(sizeof(llmrt_plugin_descriptor)));
  }
  const char* tag = d->build_tag != nullptr ? d->build_tag : "";
  if (std::strcmp(tag, LLMRT_BUILD_TAG) != 0) {
    return error(LoadErrorKind::build_mismatch, file,
                 std::string("plugin built as '") + tag + "', this llmrt as '" LLMRT_BUILD_TAG "'");
  }
  std::string name = d->name != nullptr ? d->name : "";
  // The version and the tag say which headers the plugin meant to use; the fingerprint says
  // which it did use (a field added without a bump would otherwise crash at the first call).
  if (auto difference = layout_difference(d->layout, kSdkLayout)) {
    return error(LoadErrorKind::layout_mismatch, file,
                 "plugin '" + name + "' was built against a different llmrt SDK: " + *difference +
                     "; rebuild it against this llmrt's headers");
  }
  {
    std::lock_guard lock(impl_->mutex);
    if (auto it = impl_->plugins.find(name); it != impl_->plugins.end()) {
      return error(LoadErrorKind::duplicate_name, file,
                   "plugin name '" + name + "' (version " + (d->version ? d->version : "?") +
                       ") is already loaded from " + it->second.info.path.string() + " (version " +
                       it->second.info.version + ")");
    }
  }
  Provider* raw = d->create();
  if (raw == nullptr) {
    return error(LoadErrorKind::create_failed, file, "plugin '" + name + "' failed to create");
  }
  // The deleter owns the library: the code of the provider stays mapped while it lives.
  auto destroy = d->destroy;
  std::shared_ptr<const Provider> provider(
      raw, [library, destroy](const Provider* p) { destroy(const_cast<Provider*>(p)); });

  LoadedPlugin loaded;
  // The first virtual call into the plugin's code: a throw here is the file's failure, not
  // the process's.
  try {
    loaded.info = PluginInfo{name, d->version ? d->version : "", d->abi_version,
                             tag,  fs::absolute(file, ec),       provider->info()};
  } catch (const std::exception& e) {
    return error(LoadErrorKind::create_failed, file,
                 "plugin '" + name + "' failed to describe itself: info() threw: " + e.what());
  } catch (...) {
    return error(LoadErrorKind::create_failed, file,
                 "plugin '" + name + "' failed to describe itself: info() threw");
  }
  loaded.provider = std::move(provider);
  std::lock_guard lock(impl_->mutex);
  impl_->plugins.emplace(name, std::move(loaded));
  return std::nullopt;
}

std::vector<LoadError> PluginRegistry::load_directory(const fs::path& dir) {
  std::vector<LoadError> errors;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return errors;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".so") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    if (auto err = load_file(file)) errors.push_back(std::move(*err));
  }
  return errors;
}

std::vector<LoadError> PluginRegistry::discover(const std::vector<fs::path>& explicit_paths) {
  std::vector<LoadError> errors;
  auto take = [&errors](std::vector<LoadError> more) {
    errors.insert(errors.end(), std::make_move_iterator(more.begin()),
                  std::make_move_iterator(more.end()));
  };
  for (const fs::path& p : explicit_paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      take(load_directory(p));
    } else if (auto err = load_file(p)) {
      errors.push_back(std::move(*err));
    }
  }
  for (const fs::path& dir : default_plugin_dirs()) take(load_directory(dir));
  return errors;
}

std::vector<PluginInfo> PluginRegistry::plugins() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<PluginInfo> out;
  for (const auto& [name, plugin] : impl_->plugins) out.push_back(plugin.info);
  return out;
}

std::shared_ptr<const Provider> PluginRegistry::find_provider(std::string_view name) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->plugins.find(name);
  return it == impl_->plugins.end() ? nullptr : it->second.provider;
}

std::shared_ptr<const Provider> PluginRegistry::get_provider(std::string_view name) const {
  if (auto provider = find_provider(name)) return provider;
  std::string known;
  for (const PluginInfo& info : plugins()) known += (known.empty() ? "" : ", ") + info.name;
  throw Error(ErrorKind::not_found,
              "no provider plugin named '" + std::string(name) + "' (loaded: " +
                  (known.empty() ? "none; set LLMRT_PLUGIN_PATH or install the plugins" : known) +
                  ")");
}

}  // namespace llmrt::core
