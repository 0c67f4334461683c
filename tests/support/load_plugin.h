#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "llmrt/core/plugin_registry.h"

namespace llmrt::test {

// The real plugin `name`, loaded from the build tree's plugin folder as the runtime would.
inline std::shared_ptr<const Provider> load_plugin(const std::string& name) {
  static core::PluginRegistry registry;
  if (!registry.find_provider(name)) {
    auto errors = registry.load_directory(LLMRT_TEST_PLUGIN_DIR);
    for (const auto& e : errors) ADD_FAILURE() << e.message;
  }
  return registry.get_provider(name);
}

}  // namespace llmrt::test
