#include "interrupt.h"

#include <pthread.h>
#include <unistd.h>

namespace llmrt::cli {

Interrupt::Interrupt() {
  sigemptyset(&watched_);
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) {
    // Started with the signal ignored: it stays ignored. Blocked, an ignored signal is still
    // queued and sigwait would take it (Linux), so it is left out of the set.
    struct sigaction current = {};
    if (::sigaction(signal, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) continue;
    sigaddset(&watched_, signal);
    if (wake_signal_ == 0) wake_signal_ = signal;
  }
  if (wake_signal_ == 0) return;
  pthread_sigmask(SIG_BLOCK, &watched_, &previous_mask_);
  watcher_ = std::thread([this] { watch(); });
}

Interrupt::~Interrupt() {
  if (!watcher_.joinable()) return;
  stopping_.store(true, std::memory_order_release);
  // Wakes the watcher's sigwait; it sees stopping_ and returns. A real signal at this moment
  // is taken the same way: the command is ending anyway.
  pthread_kill(watcher_.native_handle(), wake_signal_);
  watcher_.join();
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

void Interrupt::watch() {
  for (;;) {
    int signal = 0;
    if (sigwait(&watched_, &signal) != 0) continue;
    if (stopping_.load(std::memory_order_acquire)) return;
    if (interrupted_.load(std::memory_order_acquire)) {
      // Again: the user does not want to wait for the calls to wind down. Every line already
      // in an output file is whole (one write per line).
      static constexpr char kMessage[] = "\nllmrt: interrupted again: exiting at once\n";
      if (::write(STDERR_FILENO, kMessage, sizeof kMessage - 1) < 0) {
        // Nothing to do: the exit status says it.
      }
      ::_exit(exit_status());
    }
    signal_.store(signal, std::memory_order_release);
    interrupted_.store(true, std::memory_order_release);
    token_->cancel();
  }
}

}  // namespace llmrt::cli
