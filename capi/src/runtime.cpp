// Runtimes and models.
#include <filesystem>
#include <string>
#include <vector>

#include "errors.h"
#include "handles.h"
#include "llmrt/core/config.h"
#include "llmrt/sdk/version.h"

llmrt_runtime::llmrt_runtime(llmrt::core::Runtime r) : runtime(std::move(r)) {
  for (const llmrt::core::LoadError& e : runtime.load_errors()) {
    load_errors += std::string(llmrt::core::to_string(e.kind)) + ": " + e.message + "\n";
  }
}

extern "C" {

const char* llmrt_version(void) { return LLMRT_VERSION_STRING; }

llmrt_runtime* llmrt_runtime_new(const char* const* plugin_paths, size_t count,
                                 llmrt_error** error) {
  if (count > 0 &&
      !llmrt::c_api::present(plugin_paths, "llmrt_runtime_new", "plugin_paths", error)) {
    return nullptr;
  }
  for (size_t i = 0; i < count; ++i) {
    if (plugin_paths[i] == nullptr) {
      llmrt::c_api::invalid_argument("llmrt_runtime_new", "a plugin path is NULL", error);
      return nullptr;
    }
    // A path that is not there would load nothing without a word, as --plugin and Python's
    // plugins= refuse it.
    std::error_code ignored;
    if (!std::filesystem::exists(plugin_paths[i], ignored)) {
      const std::string message =
          std::string("plugin_paths: no such file or folder: ") + plugin_paths[i];
      llmrt::c_api::invalid_argument("llmrt_runtime_new", message.c_str(), error);
      return nullptr;
    }
  }
  llmrt_runtime* made = nullptr;
  llmrt::c_api::guarded(error, [&] {
    std::vector<std::filesystem::path> paths(plugin_paths, plugin_paths + count);
    made = new llmrt_runtime(llmrt::core::Runtime(paths));
  });
  return made;
}

llmrt_runtime* llmrt_runtime_from_config(const char* path, llmrt_error** error) {
  if (!llmrt::c_api::present(path, "llmrt_runtime_from_config", "path", error)) return nullptr;
  llmrt_runtime* made = nullptr;
  llmrt::c_api::guarded(error,
                        [&] { made = new llmrt_runtime(llmrt::core::Runtime::from_config(path)); });
  return made;
}

const char* llmrt_runtime_load_errors(const llmrt_runtime* runtime) {
  return runtime != nullptr ? runtime->load_errors.c_str() : "";
}

void llmrt_runtime_free(llmrt_runtime* runtime) { delete runtime; }

llmrt_model* llmrt_model_by_name(const llmrt_runtime* runtime, const char* name,
                                 llmrt_error** error) {
  if (!llmrt::c_api::present(runtime, "llmrt_model_by_name", "runtime", error) ||
      !llmrt::c_api::present(name, "llmrt_model_by_name", "name", error)) {
    return nullptr;
  }
  llmrt_model* made = nullptr;
  llmrt::c_api::guarded(
      error, [&] { made = new llmrt_model{runtime->runtime.model(std::string_view(name))}; });
  return made;
}

llmrt_model* llmrt_model_from_json(const llmrt_runtime* runtime, const char* config_json,
                                   llmrt_error** error) {
  if (!llmrt::c_api::present(runtime, "llmrt_model_from_json", "runtime", error) ||
      !llmrt::c_api::present(config_json, "llmrt_model_from_json", "config_json", error)) {
    return nullptr;
  }
  llmrt_model* made = nullptr;
  llmrt::c_api::guarded(error, [&] {
    // Relative paths in it (a CA file) are taken from the working directory.
    llmrt::core::ModelConfig config = llmrt::core::parse_model_config(config_json, "config_json");
    made = new llmrt_model{runtime->runtime.model(std::move(config))};
  });
  return made;
}

const char* llmrt_model_name(const llmrt_model* model) {
  return model != nullptr ? model->model.name().c_str() : "";
}

void llmrt_model_free(llmrt_model* model) { delete model; }

}  // extern "C"
