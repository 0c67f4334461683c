#include "interrupt.h"

#include <pthread.h>
#include <unistd.h>

#include "commands.h"

namespace llmrt::cli {
namespace {

sigset_t interrupt_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

Interrupt::Interrupt() {
  // Started with Ctrl-C ignored (`nohup`, a background job of a script): it stays ignored.
  // Blocked, an ignored signal is still queued and sigwait would take it (Linux).
  struct sigaction current = {};
  if (::sigaction(SIGINT, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) return;
  const sigset_t set = interrupt_signals();
  pthread_sigmask(SIG_BLOCK, &set, &previous_mask_);
  watcher_ = std::thread([this] { watch(); });
}

Interrupt::~Interrupt() {
  if (!watcher_.joinable()) return;
  stopping_.store(true, std::memory_order_release);
  // Wakes the watcher's sigwait; it sees stopping_ and returns. A real Ctrl-C at this moment
  // is taken the same way: the command is ending anyway.
  pthread_kill(watcher_.native_handle(), SIGINT);
  watcher_.join();
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

void Interrupt::watch() {
  const sigset_t set = interrupt_signals();
  for (;;) {
    int signal = 0;
    if (sigwait(&set, &signal) != 0) continue;
    if (stopping_.load(std::memory_order_acquire)) return;
    if (interrupted_.exchange(true, std::memory_order_acq_rel)) {
      // Ctrl-C again: the user does not want to wait for the calls to wind down. Every line
      // already in an output file is whole (one write per line).
      static constexpr char kMessage[] = "\nllmrt: interrupted again: exiting at once\n";
      if (::write(STDERR_FILENO, kMessage, sizeof kMessage - 1) < 0) {
        // Nothing to do: the exit status says it.
      }
      ::_exit(kExitInterrupted);
    }
    token_->cancel();
  }
}

}  // namespace llmrt::cli
