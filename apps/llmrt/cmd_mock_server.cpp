#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <iostream>
#include <memory>

#include "commands.h"
#include "llmrt/mock/mock_server.h"
#include "llmrt/mock/scenario.h"
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
  std::string overrides;    // a "mock" object applied to every request
  long long rpm = 0;        // the server-side rate limit (0: none) …
  double rate_window = 60;  // … per this many seconds
};

// The epilog of `mock-server --help`: the paths served, how to steer the server per request,
// and every override the server knows (from the server's own tables, so the lists are complete).
std::string epilog() {
  std::string text = "Paths (POST; any other is answered 404 listing these):\n";
  for (const mock::MockRoute& route : mock::mock_routes()) {
    text += "  " + std::string(route.path) + "  " + std::string(route.protocol) + "\n";
  }
  text +=
      "\nRequest overrides: a request steers the server with a JSON \"mock\" object in its "
      "body,\n"
      "applied over --overrides and the options above. From the command line:\n"
      "  llmrt chat --api-base http://127.0.0.1:PORT/v1 --key k \\\n"
      "      --param mock='{\"status\":429,\"headers\":{\"Retry-After\":\"1\"}}' hi\n"
      "(qwen native puts it inside \"parameters\", where the mock server looks for it; the\n"
      "internlm plugin sends no parameter Puyu does not document: give --overrides instead.)\n"
      "An unknown member or a wrong value is answered 400 naming it. Members:\n";
  for (const mock::OverrideDoc& o : mock::override_docs()) {
    std::string head = "  " + std::string(o.name) + " " + std::string(o.value);
    head.resize(std::max<std::size_t>(head.size() + 1, 30), ' ');
    text += head + std::string(o.meaning) + "\n";
  }
  return text;
}

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
  if (!o.overrides.empty()) {
    try {
      mock::apply_overrides(scenario, o.overrides);
    } catch (const std::invalid_argument& e) {
      std::cerr << "llmrt mock-server: --overrides: " << e.what() << "\n";
      return kExitUsage;
    }
  }
  std::unique_ptr<mock::MockServer> server;
  try {
    server = std::make_unique<mock::MockServer>(
        mock::MockServer::Options{.host = o.host,
                                  .port = static_cast<std::uint16_t>(o.port),
                                  .max_threads = o.max_threads,
                                  .record = false,
                                  .rate_limit = {.requests = o.rpm,
                                                 .window = std::chrono::milliseconds(std::max(
                                                     std::llround(o.rate_window * 1000), 1LL))}});
  } catch (const mock::PortInUse& e) {
    std::cerr << "llmrt mock-server: " << e.what()
              << " (another server listens there): choose another --port, or --port 0 for "
                 "any free port\n";
    return kExitUsage;
  } catch (const std::runtime_error& e) {
    std::cerr << "llmrt mock-server: " << e.what() << "\n";
    return kExitUsage;
  }
  server->set_default(scenario);
  std::cout << "llmrt mock server listening on " << server->base_url() << " (POST only)\n";
  for (const mock::MockRoute& route : mock::mock_routes()) {
    std::string protocol = "  " + std::string(route.protocol) + ":";
    protocol.resize(std::max<std::size_t>(protocol.size() + 1, 29), ' ');
    std::cout << protocol << route.path << "\n";
  }
  if (o.rpm > 0) {
    std::cout << "Rate limit: at most " << o.rpm << " in any " << o.rate_window
              << " s (over it: 429 with Retry-After)\n";
  }
  std::cout << "Ctrl-C (or SIGTERM) stops it" << std::endl;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  server->stop();
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
  cmd->add_option("--overrides", o->overrides,
                  "A JSON \"mock\" object applied to every request (members below), e.g. "
                  "'{\"status\":503}'")
      ->type_name("JSON");
  cmd->add_option("--rpm", o->rpm,
                  "Accept at most N requests in any sliding --rate-window and answer the others "
                  "429 with Retry-After and x-ratelimit-* headers (0: no limit)")
      ->type_name("N")
      ->check(whole_number(0, 1'000'000'000));
  cmd->add_option("--rate-window", o->rate_window, "The window of --rpm, in seconds")
      ->type_name("SECONDS")
      ->check(positive_seconds())
      ->capture_default_str();
  cmd->footer(epilog());
  return {cmd, [o] { return run_mock_server(*o); }};
}

}  // namespace llmrt::cli
