#pragma once

#include "llmrt/core/plugin_registry.h"

namespace llmrt::bench {

// The plugins of the build tree, loaded once for all benchmarks.
inline const core::PluginRegistry& plugins() {
  static const core::PluginRegistry registry = [] {
    core::PluginRegistry r;
    r.load_directory(LLMRT_BENCH_PLUGIN_DIR);
    return r;
  }();
  return registry;
}

}  // namespace llmrt::bench
