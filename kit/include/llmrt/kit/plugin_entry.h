#pragma once

// The Provider of a plugin compiled into the test program itself: a plugin's tests link its
// sources (which define llmrt_plugin_info with LLMRT_EXPORT_PLUGIN) and run the kit's cases on
//   auto provider = llmrt::kit::provider_from(llmrt_plugin_info());
// The runtime loads the same entry point from the shared library (`llmrt test-plugin`).

#include <memory>
#include <stdexcept>

#include "llmrt/sdk/plugin_abi.h"

extern "C" const llmrt_plugin_descriptor* llmrt_plugin_info() noexcept;

namespace llmrt::kit {

struct ProviderDeleter {
  void (*destroy)(Provider*) noexcept = nullptr;
  void operator()(Provider* p) const noexcept { destroy(p); }
};
using ProviderHandle = std::unique_ptr<Provider, ProviderDeleter>;

// Throws std::runtime_error when the plugin's create() fails.
inline ProviderHandle provider_from(const llmrt_plugin_descriptor* descriptor) {
  Provider* provider = descriptor->create();
  if (provider == nullptr) throw std::runtime_error("the plugin's create() failed");
  return ProviderHandle(provider, ProviderDeleter{descriptor->destroy});
}

}  // namespace llmrt::kit
