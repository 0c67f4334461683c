#include "support/live_process.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

extern char** environ;

namespace llmrt::test {

LiveProcess::LiveProcess(const std::vector<std::string>& argv, int terminal_columns) {
  int out[2], err[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  if (terminal_columns != 0) {
    winsize size{};
    if (terminal_columns > 0) {
      size.ws_row = 24;
      size.ws_col = static_cast<unsigned short>(terminal_columns);
    }
    if (openpty(&err[0], &err[1], nullptr, nullptr, &size) != 0) {
      throw std::runtime_error("openpty failed");
    }
  } else if (pipe(err) != 0) {
    throw std::runtime_error("pipe failed");
  }
  int null_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, null_in, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  for (int fd : {out[0], out[1], err[0], err[1]}) posix_spawn_file_actions_addclose(&actions, fd);
  // The child gets Ctrl-C's default disposition and no blocked signals, whatever this test has.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int rc = posix_spawn(&pid_, args[0], &actions, &attr, args.data(), environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  close(null_in);
  close(out[1]);
  close(err[1]);
  out_ = out[0];
  err_ = err[0];
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
}

LiveProcess::~LiveProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (out_ >= 0) close(out_);
  if (err_ >= 0) close(err_);
}

bool LiveProcess::read_some(std::chrono::milliseconds wait) {
  std::vector<pollfd> fds;
  if (out_ >= 0) fds.push_back({out_, POLLIN, 0});
  if (err_ >= 0) fds.push_back({err_, POLLIN, 0});
  if (fds.empty()) return false;
  if (poll(fds.data(), fds.size(), static_cast<int>(wait.count())) < 0 && errno != EINTR) {
    throw std::runtime_error("poll failed");
  }
  char buffer[65536];
  for (const pollfd& p : fds) {
    if (p.revents == 0) continue;
    ssize_t n = read(p.fd, buffer, sizeof buffer);
    if (n > 0) {
      (p.fd == out_ ? result_.out : result_.err).append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {  // a pty's reader gets EIO once the child is gone
      close(p.fd);
      (p.fd == out_ ? out_ : err_) = -1;
    }
  }
  return true;
}

bool LiveProcess::wait_until(
    const std::function<bool(const std::string& out, const std::string& err)>& ready,
    std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ready(result_.out, result_.err)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !read_some(std::min(left, std::chrono::milliseconds(50)))) {
      return ready(result_.out, result_.err);
    }
  }
  return true;
}

void LiveProcess::signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

ProcessResult LiveProcess::finish(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline && read_some(std::chrono::milliseconds(50))) {
  }
  if (pid_ > 0) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    pid_ = -1;
    result_.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  return result_;
}

}  // namespace llmrt::test
