#include <csignal>
#include <iostream>
#include <memory>

#include "commands.h"
#include "llmrt/mock/mock_server.h"
#include "number_checks.h"

namespace llmrt::cli {
namespace {

struct MockOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  int chunks = 0;
  std::string reply;
  int delay_ms = 0;
  int max_threads = 256;
};

int run_mock_server(const MockOptions& o) {
  // Block the stop signals before the server starts its threads, so that they all inherit
  // the mask and only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  mock::Scenario scenario;
  scenario.chunks = o.chunks;
  if (!o.reply.empty()) scenario.content = o.reply;
  scenario.chunk_delay = std::chrono::milliseconds(o.delay_ms);
  mock::MockServer server({.host = o.host,
                           .port = static_cast<std::uint16_t>(o.port),
                           .max_threads = o.max_threads,
                           .record = false});
  server.set_default(scenario);
  std::cout << "llmrt mock server listening on " << server.base_url()
            << "\n  OpenAI:    /v1/chat/completions"
               "\n  DashScope: /api/v1/services/aigc/text-generation/generation"
               "\n  Puyu:      /puyu/api/v1/chat/completions\nCtrl-C stops it"
            << std::endl;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  server.stop();
  return kExitOk;
}

}  // namespace

Command add_mock_server_command(CLI::App& app) {
  auto o = std::make_shared<MockOptions>();
  CLI::App* cmd =
      app.add_subcommand("mock-server", "Run the mock provider server until interrupted");
  cmd->add_option("--host", o->host, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", o->port, "Port (0: any free port)")
      ->check(whole_number(0, 65535))
      ->capture_default_str();
  cmd->add_option("--chunks", o->chunks, "Stream this many content chunks (0: one per word)")
      ->check(whole_number(0, 1'000'000'000));
  cmd->add_option("--reply", o->reply, "Reply text");
  cmd->add_option("--max-threads", o->max_threads, "Connections served at once")
      ->check(whole_number(2, 10000))
      ->capture_default_str();
  cmd->add_option("--delay-ms", o->delay_ms, "Pause between streamed chunks")
      ->check(whole_number(0, 3'600'000));
  return {cmd, [o] { return run_mock_server(*o); }};
}

}  // namespace llmrt::cli
