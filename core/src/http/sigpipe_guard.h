#pragma once

#include <signal.h>

#include <ctime>

namespace llmrt::core {

// Keeps a write to a socket the server closed from raising SIGPIPE, whose default action kills
// the host program. Plain sockets pass MSG_NOSIGNAL; OpenSSL writes with a plain send(), so a
// TLS write is wrapped in this: SIGPIPE is blocked in this thread, and one it raised is taken
// off the thread's pending set before the old mask comes back (the idea of curl's
// sigpipe_ignore). A SIGPIPE that was pending before is left alone.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    pending_before_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeGuard() {
    if (!pending_before_) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        timespec none{};
        sigtimedwait(&pipe_, nullptr, &none);
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool pending_before_ = false;
};

}  // namespace llmrt::core
