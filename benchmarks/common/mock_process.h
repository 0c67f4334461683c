#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace llmrt::bench {

// `llmrt mock-server` in a process of its own (so the client's CPU and memory are measured
// alone), stopped on destruction.
class MockProcess {
 public:
  explicit MockProcess(const std::string& llmrt_command, int max_threads = 1100) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<std::string> argv{llmrt_command, "mock-server",   "--port",
                                  "0",           "--max-threads", std::to_string(max_threads)};
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (rc != 0) throw std::runtime_error("cannot start " + llmrt_command);
    std::string first;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') first += c;
    close(out[0]);
    std::size_t at = first.find("http://");
    if (at == std::string::npos) throw std::runtime_error("the mock server said: " + first);
    url_ = first.substr(at, first.find(' ', at) - at);
  }
  ~MockProcess() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  MockProcess(const MockProcess&) = delete;
  MockProcess& operator=(const MockProcess&) = delete;

  const std::string& url() const { return url_; }

 private:
  pid_t pid_ = -1;
  std::string url_;
};

}  // namespace llmrt::bench
