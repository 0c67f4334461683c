#include <chrono>
#include <iostream>
#include <map>

#include "commands.h"
#include "llmrt/core/runtime.h"
#include "llmrt/mock/mock_server.h"
#include "load_errors.h"

namespace llmrt::cli {
namespace {

// Where each provider's API lives on the mock server.
const std::map<std::string, std::string, std::less<>> kMockApiPaths{
    {"openai", "/v1"},
    {"qwen", "/api/v1"},
    {"internlm", "/puyu/api/v1"},
    {"ollama", ""},  // Ollama's API is at the server's root (/api/chat)
};

bool stream_one(const core::Runtime& runtime, const core::PluginInfo& plugin,
                const std::string& api_base) {
  core::ModelConfig config;
  config.provider = plugin.name;
  config.model = "demo-model";
  config.api_base = api_base;
  config.keys = {"demo-key-not-secret"};  // the mock server accepts any key
  core::ChatModel model = runtime.model(config);
  std::vector<Message> messages{
      {.role = "system", .content = "You are a helpful assistant."},
      {.role = "user", .content = "Say hello to llmrt."},
  };
  std::cout << "[" << plugin.name << "] assistant: " << std::flush;
  auto start = std::chrono::steady_clock::now();
  std::size_t chunks = 0;
  try {
    core::ChatStream stream = model.stream_chat(messages);
    for (const core::StreamChunk& chunk : stream) {
      if (chunk.status == ModelStatusCode::STREAM_ING) {
        std::cout << chunk.delta << std::flush;
        ++chunks;
      }
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const ChatResult& result = stream.result();
    std::cout << "\n[" << plugin.name << "] finish: " << finish_reason_name(result) << ", "
              << chunks << " chunks";
    if (result.usage) {
      std::cout << ", usage " << result.usage->prompt_tokens << "+"
                << result.usage->completion_tokens << " tokens";
    }
    std::cout << ", " << static_cast<int>(seconds * 1000) << " ms\n\n";
    return true;
  } catch (const Error& e) {
    std::cout << "\n";
    std::cerr << "[" << plugin.name << "] failed: " << e.what() << "\n";
    return false;
  }
}

int run_demo(const GlobalOptions& global) {
  mock::Scenario scenario;
  scenario.chunk_delay = std::chrono::milliseconds(40);  // slow enough to watch it stream
  mock::MockServer server({.record = false});
  server.set_default(scenario);
  core::Runtime runtime({global.plugin_paths.begin(), global.plugin_paths.end()});
  std::cout << "llmrt demo: mock provider server on " << server.base_url()
            << " (loopback only, no API key)\n";
  report_load_errors(runtime.load_errors(), std::cerr);
  std::vector<core::PluginInfo> plugins = runtime.plugins().plugins();
  if (plugins.empty()) {
    std::cerr << "llmrt demo: no provider plugins found (set LLMRT_PLUGIN_PATH)\n";
    return kExitCallFailed;
  }
  bool all_ok = true;
  for (const core::PluginInfo& plugin : plugins) {
    std::cout << "plugin " << plugin.name << " " << plugin.version << " from "
              << plugin.path.string() << "\n";
    auto path = kMockApiPaths.find(plugin.name);
    if (path == kMockApiPaths.end()) {
      std::cout << "[" << plugin.name
                << "] skipped: the mock server does not speak its protocol\n\n";
      continue;
    }
    all_ok = stream_one(runtime, plugin, server.base_url() + path->second) && all_ok;
  }
  return all_ok ? kExitOk : kExitCallFailed;
}

}  // namespace

Command add_demo_command(CLI::App& app, const GlobalOptions& global) {
  CLI::App* cmd = app.add_subcommand(
      "demo", "Start the mock server and stream a chat through each provider plugin");
  return {cmd, [&global] { return run_demo(global); }};
}

}  // namespace llmrt::cli
