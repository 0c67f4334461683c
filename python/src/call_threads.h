#pragma once

// How a call made from Python runs and is waited for: on a C++ thread of its own, which
// interpreter exit cancels and waits for; the Python thread waits without the GIL, in short
// slices, so that Ctrl-C cancels the call.

#include <pthread.h>
#include <pybind11/pybind11.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "calls.h"

namespace llmrt::python {

// How often a waiting Python thread looks for a signal (Ctrl-C): the longest a
// KeyboardInterrupt waits to be seen.
inline constexpr auto kSignalSlice = std::chrono::milliseconds(50);
// At interpreter exit, the longest wait for cancelled calls to end (a callback that never
// returns must not hang the exit for ever).
inline constexpr auto kExitWait = std::chrono::seconds(10);

// The threads running calls, so that interpreter exit can cancel them and wait: a thread
// that took the GIL after the interpreter is gone would crash the process.
class CallThreads {
 public:
  // Never destroyed: a call's thread that outlives the exit wait (kExitWait) still finds its
  // lock and its entry when it ends during the process's exit.
  static CallThreads& instance() {
    static auto* threads = [] {
      auto* made = new CallThreads;
      // os.fork() holds the GIL, as every first use of this does: the two never overlap.
      ::pthread_atfork([] { instance().mutex_.lock(); }, [] { instance().mutex_.unlock(); },
                       [] { instance().forget_in_child(); });
      return made;
    }();
    return *threads;
  }

  // Runs `work` on a thread of its own. `work` must not throw, and must have released every
  // Python object it holds (with the GIL) before it returns. At exit the call's token is
  // cancelled, and `stop` (when given) runs too: what else a cancelled call may be waiting for
  // (a batch's reader, who will never read now).
  void start(std::shared_ptr<CallToken> token, std::function<void()> work,
             std::function<void()> stop = nullptr) {
    std::uint64_t id = 0;
    {
      std::lock_guard lock(mutex_);
      if (closing_) throw std::runtime_error("llmrt: the interpreter is shutting down");
      id = next_id_++;
      running_.emplace(id, Running{std::move(token), std::move(stop)});
    }
    try {
      std::thread([this, id, work = std::move(work)]() mutable {
        work();
        work = nullptr;
        end(id);
      }).detach();
    } catch (...) {
      end(id);
      throw;
    }
  }

  // Called with the GIL released.
  void stop_all() {
    std::unique_lock lock(mutex_);
    closing_ = true;
    for (auto& [id, call] : running_) {
      if (call.stop) call.stop();
      call.token->cancel();
    }
    idle_.wait_for(lock, kExitWait, [this] { return running_.empty(); });
  }

 private:
  // In a fork's child the parent's call threads are not there: their entries would hold the
  // exit for kExitWait. They are set aside unread (what they hold is the parent's); the lock,
  // taken before the fork, and the condition variable, which may count the parent's waiters,
  // are made anew.
  void forget_in_child() {
    parents_calls_.push_back(std::move(running_));
    running_.clear();
    new (&idle_) std::condition_variable;
    new (&mutex_) std::mutex;
  }

  void end(std::uint64_t id) {
    {
      std::lock_guard lock(mutex_);
      running_.erase(id);
    }
    idle_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable idle_;
  struct Running {
    std::shared_ptr<CallToken> token;
    std::function<void()> stop;
  };
  std::map<std::uint64_t, Running> running_;
  std::vector<std::map<std::uint64_t, Running>> parents_calls_;  // in a fork's child: kept, unread
  std::uint64_t next_id_ = 0;
  bool closing_ = false;
};

// Whether the interpreter is shutting down: a thread then must not take the GIL back.
inline bool python_finalizing() {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing() != 0;
#else
  return _Py_IsFinalizing() != 0;
#endif
}

// `wait()` with the GIL let go. Not py::gil_scoped_release: once the interpreter is finalizing,
// taking the GIL back ends a daemon thread with a forced unwind (pthread_exit), and from a
// destructor that is std::terminate — `threading.Thread(daemon=True)` blocked in a call when
// the program ended aborted it. Such a thread waits here for the process to end instead (it
// may not run Python again anyway); from an ordinary frame, the rare unwind that still comes
// passes through pybind11, which lets it go on.
// The main thread, which runs the interpreter's shutdown and may take the GIL back during it
// (a __del__ that reads a stream): set when the module is imported.
inline unsigned long g_main_thread = 0;

template <class Wait>
bool without_gil(Wait wait) {
  PyThreadState* state = PyEval_SaveThread();
  bool done = false;
  std::exception_ptr error;
  try {
    done = wait();
  } catch (...) {
    error = std::current_exception();
  }
  while (python_finalizing() && PyThread_get_thread_ident() != g_main_thread) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  PyEval_RestoreThread(state);
  if (error) std::rethrow_exception(error);
  return done;
}

// Waits until `ready(slice)` says so: first without letting go of the GIL (something may be
// there already), then in slices without it. Between slices Python's signal handlers run (on
// the main thread); when one raises, as Ctrl-C's KeyboardInterrupt does, the call is cancelled
// and the exception raised.
template <class Ready>
void wait_interruptibly(Ready ready, CallToken& token) {
  if (ready(std::chrono::milliseconds(0))) return;
  for (;;) {
    if (without_gil([&] { return ready(kSignalSlice); })) return;
    if (PyErr_CheckSignals() != 0) {
      token.cancel();
      throw py::error_already_set();
    }
  }
}

// Marks a stream (or a batch's results) as being read for one next(): another thread reading
// it meanwhile (while the first waits without the GIL) would share its buffers.
class ReadingGuard {
 public:
  explicit ReadingGuard(bool& reading, const char* what = "stream") : reading_(reading) {
    if (reading_) {
      throw std::runtime_error(std::string("this ") + what + " is being read by another thread");
    }
    reading_ = true;
  }
  ~ReadingGuard() { reading_ = false; }
  ReadingGuard(const ReadingGuard&) = delete;
  ReadingGuard& operator=(const ReadingGuard&) = delete;

 private:
  bool& reading_;
};

}  // namespace llmrt::python
