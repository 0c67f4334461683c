#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include "llmrt/core/plugin_registry.h"
#include "llmrt/sdk/overloaded.h"
#include "llmrt/sdk/stream_event.h"

namespace llmrt::fuzz {

// Takes bytes off the front of the fuzzer's input for choices (split points, which plugin).
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size)
      : rest_(reinterpret_cast<const char*>(data), size) {}
  std::uint8_t byte() {
    if (rest_.empty()) return 0;
    auto b = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }
  std::string_view rest() const { return rest_; }

 private:
  std::string_view rest_;
};

// The build tree's plugins, loaded once.
inline const core::PluginRegistry& plugins() {
  static const core::PluginRegistry registry = [] {
    core::PluginRegistry r;
    r.load_directory(LLMRT_FUZZ_PLUGIN_DIR);
    return r;
  }();
  return registry;
}

inline const char* plugin_name(std::uint8_t choice) {
  // Appended, never reordered: a kept input's first byte keeps choosing the same plugin.
  static const char* const kNames[] = {"openai",    "qwen",   "internlm",
                                       "anthropic", "gemini", "ollama"};
  return kNames[choice % std::size(kNames)];
}

// An event as text, every field that tells events apart included, for comparing decodes.
inline std::string event_text(const StreamEvent& e) {
  return std::visit(
      Overloaded{
          [](const ContentDelta& d) { return "c" + d.text; },
          [](const ReasoningDelta& d) {
            return "r" + std::to_string(d.block) + d.text + d.signature + d.redacted;
          },
          [](const ToolCallDelta& d) {
            return "t" + std::to_string(d.index) + "," + d.id + "," + d.name + "," + d.arguments;
          },
          [](const FinishEvent& d) { return "f" + std::string(to_string(d.reason)) + d.raw; },
          [](const UsageEvent& d) {
            const Usage& u = d.usage;
            return "u" + std::to_string(u.prompt_tokens) + "," +
                   std::to_string(u.completion_tokens) + "," + std::to_string(u.total_tokens) +
                   "," + std::to_string(u.cache_read_tokens) + "," +
                   std::to_string(u.reasoning_tokens);
          },
          [](const ErrorEvent& d) { return "e" + d.error.message; },
          [](const DoneEvent&) { return std::string("d"); },
          [](const WarningEvent& d) { return "w" + d.message; },
      },
      e);
}

// A property the code promises was broken: crash so that libFuzzer keeps the input.
[[noreturn]] inline void broken_promise() { __builtin_trap(); }

}  // namespace llmrt::fuzz
