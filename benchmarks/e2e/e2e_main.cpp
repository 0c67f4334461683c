// llmrt end to end, measured from the client's side: `e2e_bench` starts the mock server (the
// llmrt command) in its own process, runs each workload in a fresh child process of its own
// (so CPU time and peak RSS are that workload's alone), and prints a table.
//   e2e_bench [--only NAME]... [--json]      all workloads (or some)
//   e2e_bench --workload NAME --url URL      one workload, one JSON line (what the driver runs)
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "mock_process.h"
#include "workloads.h"

extern char** environ;

namespace {

using llmrt::bench::Measurement;

std::string json_line(const Measurement& m) {
  char line[512];
  std::snprintf(line, sizeof line,
                R"({"workload":"%s","units":%.0f,"unit":"%s","wall_s":%.6f,"cpu_s":%.6f,)"
                R"("sys_s":%.6f,"peak_rss_mb":%.1f,"errors":%d)",
                m.workload.c_str(), m.units, m.unit.c_str(), m.wall_seconds, m.cpu_seconds,
                m.system_seconds, m.peak_rss_mb, m.errors);
  std::string json = line;
  for (const auto& [name, value] : m.figures) {
    std::snprintf(line, sizeof line, R"(,"%s":%.3f)", name.c_str(), value);
    json += line;
  }
  return json + "}";
}

double number_after(const std::string& json, const std::string& key) {
  std::size_t at = json.find("\"" + key + "\":");
  return at == std::string::npos ? 0 : std::atof(json.c_str() + at + key.size() + 3);
}

// Runs a program and returns its standard output.
std::string capture(std::vector<std::string> argv) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) {
    throw std::runtime_error("cannot start " + argv[0]);
  }
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = read(out[0], buffer, sizeof buffer)) > 0;)
    text.append(buffer, static_cast<std::size_t>(n));
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return text;
}

int run_one(const std::string& name, const std::string& url) {
  for (const auto& w : llmrt::bench::workloads()) {
    if (name == w.name) {
      std::cout << json_line(w.run(url)) << std::endl;
      return 0;
    }
  }
  std::cerr << "unknown workload " << name << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string workload, url;
  std::vector<std::string> only;
  bool json = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--workload" && i + 1 < args.size())
      workload = args[++i];
    else if (args[i] == "--url" && i + 1 < args.size())
      url = args[++i];
    else if (args[i] == "--only" && i + 1 < args.size())
      only.push_back(args[++i]);
    else if (args[i] == "--json")
      json = true;
    else {
      std::cerr << "usage: e2e_bench [--only NAME]... [--json] | --workload NAME --url URL\n";
      return 2;
    }
  }
  if (!workload.empty()) return run_one(workload, url);

  llmrt::bench::MockProcess server(LLMRT_BENCH_CLI, 6000);  // streams_5000x200: one each
  std::map<std::string, std::string> results;
  if (!json) {
    std::printf("%-26s %10s %9s %12s %13s %13s %9s %6s\n", "workload", "units", "wall s", "units/s",
                "CPU µs/unit", "(kernel)", "peak MB", "errors");
  }
  for (const auto& w : llmrt::bench::workloads()) {
    if (!only.empty() && std::find(only.begin(), only.end(), w.name) == only.end()) continue;
    std::string line = capture({"/proc/self/exe", "--workload", w.name, "--url", server.url()});
    if (line.empty()) line = R"({"errors":1})";  // the workload crashed: a failure, shown
    results[w.name] = line;
    if (json) {
      std::cout << line << std::flush;
      continue;
    }
    double units = number_after(line, "units"), wall = number_after(line, "wall_s");
    double cpu = number_after(line, "cpu_s");
    double sys = number_after(line, "sys_s");
    std::printf("%-26s %10.0f %9.3f %12.0f %13.3f %13.3f %9.1f %6.0f\n", w.name.c_str(), units,
                wall, wall > 0 ? units / wall : 0, units > 0 ? cpu * 1e6 / units : 0,
                units > 0 ? sys * 1e6 / units : 0, number_after(line, "peak_rss_mb"),
                number_after(line, "errors"));
  }
  if (!json && results.count("stream_10k") && results.count("stream_100k")) {
    std::printf("linearity: 100,000 chunks took %.2f× the time of 10,000\n",
                number_after(results["stream_100k"], "wall_s") /
                    number_after(results["stream_10k"], "wall_s"));
  }
  return 0;
}
