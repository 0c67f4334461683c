#include <chrono>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "commands.h"
#include "llmrt/core/runtime.h"
#include "llmrt/mock/mock_server.h"
#include "load_errors.h"

namespace llmrt::cli {
namespace {

// One streamed chat of the demo: a provider plugin, where its API lives on the mock server, and
// (for a service that is a configuration of a plugin, such as Azure OpenAI) the options and the
// name its lines are shown under.
struct DemoRow {
  std::string plugin;
  std::string api_path;
  std::string label{};  // empty: the plugin's name
  std::map<std::string, std::string> options{};
};

// Each plugin's rows, in this order, after the plugin's own line.
const std::vector<DemoRow>& demo_rows() {
  static const std::vector<DemoRow> kRows{
      {"openai", "/v1"},
      {"qwen", "/api/v1"},
      {"internlm", "/puyu/api/v1"},
      {"anthropic", "/v1"},
      {"gemini", "/v1beta"},
      {"ollama", ""},  // Ollama's API is at the server's root (/api/chat)
      {"openai", "/openai/deployments/demo", "azure", {{"api_version", "2024-10-21"}}},
  };
  return kRows;
}

core::ModelConfig demo_config(const DemoRow& row, const std::string& api_base) {
  core::ModelConfig config;
  config.provider = row.plugin;
  config.model = "demo-model";
  config.api_base = api_base;
  config.keys = {"demo-key-not-secret"};  // the mock server accepts any key
  config.options = row.options;
  return config;
}

// Streams one chat through `model`, its lines shown under `name`.
bool stream_one(const core::ChatModel& model, const std::string& name,
                const core::CallControl& control = {}) {
  std::vector<Message> messages{
      {.role = "system", .content = "You are a helpful assistant."},
      {.role = "user", .content = "Say hello to llmrt."},
  };
  std::cout << "[" << name << "] assistant: " << std::flush;
  auto start = std::chrono::steady_clock::now();
  std::size_t chunks = 0;
  try {
    core::ChatStream stream = model.stream_chat(messages, {}, control);
    for (const core::StreamChunk& chunk : stream) {
      if (chunk.status == ModelStatusCode::STREAM_ING) {
        std::cout << chunk.delta << std::flush;
        ++chunks;
      }
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const ChatResult& result = stream.result();
    std::cout << "\n[" << name << "] finish: " << finish_reason_name(result) << ", " << chunks
              << " chunks";
    if (result.usage) {
      std::cout << ", usage " << result.usage->prompt_tokens << "+"
                << result.usage->completion_tokens << " tokens";
    }
    if (!result.served_by.empty() && result.served_by != name) {
      std::cout << ", served by " << result.served_by;
    }
    if (result.cost) std::cout << ", cost " << *result.cost;
    std::cout << ", " << static_cast<int>(seconds * 1000) << " ms\n\n";
    return true;
  } catch (const Error& e) {
    std::cout << "\n";
    std::cerr << "[" << name << "] failed: " << e.what() << "\n";
    return false;
  }
}

// A route over two deployments: "primary" on a server that answers 503 to everything, falling
// back to "fallback", the anthropic plugin on the demo's server, priced.
bool stream_route(const GlobalOptions& global, const mock::MockServer& server) {
  mock::MockServer down({.record = false});
  mock::Scenario unavailable;
  unavailable.status = 503;
  down.set_default(unavailable);
  core::RuntimeConfig config;
  config.models["primary"] = demo_config({"openai", "/v1"}, down.base_url() + "/v1");
  config.models["primary"].retry.max_retries = 0;
  config.models["fallback"] = demo_config({"anthropic", "/v1"}, server.base_url() + "/v1");
  config.models["fallback"].price = core::Price{.input = 3, .output = 15};
  config.routes["smart"] =
      core::RouteConfig{.targets = {{.model = "primary"}}, .fallbacks = {"fallback"}};
  core::Runtime runtime(std::move(config),
                        {global.plugin_paths.begin(), global.plugin_paths.end()});
  core::CallControl control;
  control.on_route = [](const core::RouteNotice& notice) {
    std::cout << "(" << notice.from << " failed: " << notice.reason << " " << notice.http_status
              << "; trying " << notice.to << ") " << std::flush;
  };
  std::cout << "route smart: primary (openai, down) with fallback (anthropic, priced)\n";
  return stream_one(runtime.model("smart"), "route smart", control);
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
    bool streamed = false;
    for (const DemoRow& row : demo_rows()) {
      if (row.plugin != plugin.name) continue;
      const std::string& name = row.label.empty() ? row.plugin : row.label;
      all_ok =
          stream_one(runtime.model(demo_config(row, server.base_url() + row.api_path)), name) &&
          all_ok;
      streamed = true;
    }
    if (!streamed) {
      std::cout << "[" << plugin.name
                << "] skipped: the mock server does not speak its protocol\n\n";
    }
  }
  const bool have_route_plugins =
      runtime.plugins().find_provider("openai") && runtime.plugins().find_provider("anthropic");
  if (have_route_plugins) all_ok = stream_route(global, server) && all_ok;
  return all_ok ? kExitOk : kExitCallFailed;
}

}  // namespace

Command add_demo_command(CLI::App& app, const GlobalOptions& global) {
  CLI::App* cmd = app.add_subcommand(
      "demo", "Start the mock server and stream a chat through each provider plugin");
  return {cmd, [&global] { return run_demo(global); }};
}

}  // namespace llmrt::cli
