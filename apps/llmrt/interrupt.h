#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include <signal.h>

#include "llmrt/core/cancel_token.h"

namespace llmrt::cli {

// Ctrl-C, SIGTERM and SIGHUP for a command that makes calls: the first of them cancels token()
// (the calls end with kind `cancelled`, and the command reports what it has — a batch its
// summary and the command that resumes it — and exits with exit_status(), 128 + the signal);
// a second one ends the process at once with that status. A service manager's stop (SIGTERM)
// or a closed terminal (SIGHUP) then loses no more than Ctrl-C does.
//
// The signals are blocked in the constructing thread and taken by a watcher thread with
// sigwait, so that no other thread ever sees them (no EINTR in the middle of a call, and
// nothing runs in a signal handler). Threads inherit the mask when they start: construct this
// before any other thread is started, and only one at a time. A signal the program was started
// with ignored (`nohup`, a background job of a script) stays ignored.
class Interrupt {
 public:
  Interrupt();
  ~Interrupt();
  Interrupt(const Interrupt&) = delete;
  Interrupt& operator=(const Interrupt&) = delete;

  const std::shared_ptr<core::CancelToken>& token() const noexcept { return token_; }
  bool interrupted() const noexcept { return interrupted_.load(std::memory_order_acquire); }
  // 128 + the signal that interrupted the command (130 for Ctrl-C), as a shell reports it.
  int exit_status() const noexcept { return 128 + signal_.load(std::memory_order_acquire); }

 private:
  void watch();

  std::shared_ptr<core::CancelToken> token_ = std::make_shared<core::CancelToken>();
  std::atomic<bool> interrupted_{false};
  std::atomic<int> signal_{SIGINT};
  std::atomic<bool> stopping_{false};
  sigset_t watched_{};   // the signals taken here: those not ignored at the start
  int wake_signal_ = 0;  // one of them, to wake the watcher when the command ends
  sigset_t previous_mask_{};
  std::thread watcher_;
};

}  // namespace llmrt::cli
