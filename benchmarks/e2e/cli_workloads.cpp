// The command line's memory on a long streamed reply: `llmrt chat --stream` (and `--events`)
// receiving 100 MB, run as a child process whose peak RSS is read when it exits.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "bench_model.h"
#include "measure.h"

extern char** environ;

namespace llmrt::bench {
namespace {

constexpr int kChunks = 100'000;  // of 1,000 bytes each

Measurement cli_stream(const std::string& url, const std::string& name, bool events) {
  // The stream limit is lifted (0): 100 MB is over the default of 64 MiB.
  const std::filesystem::path config = std::filesystem::temp_directory_path() /
                                       ("llmrt-bench-" + std::to_string(getpid()) + ".json");
  std::ofstream(config) << R"({"models": {"big": {"model": "bench-model", "api_base": ")" << url
                        << R"(/v1", "keys": "sk-bench-key", "limits": {"max_stream_bytes": 0}}}})";
  const std::string scenario = R"(mock={"content":")" + std::string(999, 'x') + R"( ","chunks":)" +
                               std::to_string(kChunks) + R"(,"events_per_flush":16})";
  std::vector<std::string> argv{LLMRT_BENCH_CLI, "chat",     "--config", config.string(), "--model",
                                "big",           "--stream", "--param",  scenario};
  if (events) argv.emplace_back("--events");
  argv.emplace_back("How fast is llmrt?");
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  Measurement m;
  m.workload = name;
  m.unit = "MB";
  const auto start = Clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) {
    throw std::runtime_error("cannot start the llmrt command");
  }
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  rusage child{};
  wait4(pid, &status, 0, &child);
  m.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::filesystem::remove(config);
  m.units = kChunks * 1000.0 / 1e6;
  m.cpu_seconds = seconds(child.ru_utime) + seconds(child.ru_stime);
  m.system_seconds = seconds(child.ru_stime);
  m.peak_rss_mb = static_cast<double>(child.ru_maxrss) / 1024.0;
  m.errors = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
  m.figures.emplace_back("rss_over_reply", m.peak_rss_mb / m.units);
  return m;
}

}  // namespace

std::vector<Workload> cli_workloads() {
  return {
      {"cli_stream_100mb", "llmrt chat --stream receiving a 100 MB reply (peak RSS)",
       [](const std::string& url) { return cli_stream(url, "cli_stream_100mb", false); }},
      {"cli_events_100mb", "the same with --events",
       [](const std::string& url) { return cli_stream(url, "cli_events_100mb", true); }},
  };
}

}  // namespace llmrt::bench
