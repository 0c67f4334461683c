#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include <signal.h>

#include "llmrt/core/cancel_token.h"

namespace llmrt::cli {

// Ctrl-C for a command that makes calls: the first SIGINT cancels token() (the calls end with
// kind `cancelled`, and the command reports what it has and exits with kExitInterrupted); a
// second one ends the process at once with that status.
//
// SIGINT is blocked in the constructing thread and taken by a watcher thread with sigwait, so
// that no other thread ever sees it (no EINTR in the middle of a call, and nothing runs in a
// signal handler). Threads inherit the mask when they start: construct this before any other
// thread is started, and only one at a time. A program started with SIGINT ignored keeps
// ignoring it.
class Interrupt {
 public:
  Interrupt();
  ~Interrupt();
  Interrupt(const Interrupt&) = delete;
  Interrupt& operator=(const Interrupt&) = delete;

  const std::shared_ptr<core::CancelToken>& token() const noexcept { return token_; }
  bool interrupted() const noexcept { return interrupted_.load(std::memory_order_acquire); }

 private:
  void watch();

  std::shared_ptr<core::CancelToken> token_ = std::make_shared<core::CancelToken>();
  std::atomic<bool> interrupted_{false};
  std::atomic<bool> stopping_{false};
  sigset_t previous_mask_{};
  std::thread watcher_;
};

}  // namespace llmrt::cli
