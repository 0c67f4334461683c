#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

namespace llmrt::core {

// Cancels a call from any thread. A call in flight registers how to interrupt itself (closing
// its connection wakes a blocked read); a call waiting to retry wakes at once. The call then
// ends with Error kind `cancelled`, carrying the text received so far.
class CancelToken {
 public:
  void cancel();
  bool cancelled() const;

  // Waits for `duration` or until cancelled; returns true when cancelled.
  bool wait_for(std::chrono::milliseconds duration);

  // The interruption of the connection in use; run by cancel(), never concurrently with
  // clear_interrupt(). Set while a call reads from the network.
  void set_interrupt(std::function<void()> interrupt);
  void clear_interrupt();

 private:
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::function<void()> interrupt_;
  bool cancelled_ = false;
};

}  // namespace llmrt::core
