#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "llmrt/core/plugin_registry.h"
#include "support/event_text.h"

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

namespace llmrt::test {

// The events a provider's stream decoder gives for `reads`, as event_text lines.
inline std::vector<std::string> decode_reads(const Provider& provider, const ChatRequest& request,
                                             const std::vector<std::string>& reads,
                                             const DecoderLimits& limits = {}) {
  auto decoder = provider.new_stream_decoder(request, StreamContext{.limits = limits});
  std::vector<StreamEvent> events;
  for (const std::string& r : reads) decoder->feed(r, events);
  decoder->finish(events);
  return event_texts(events);
}

}  // namespace llmrt::test
