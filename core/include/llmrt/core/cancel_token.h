#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <utility>

namespace llmrt::core {

// Cancels calls from any thread. One token may be given to many calls at once (a batch, a
// stream and its retries): each call in flight registers how to interrupt itself (closing its
// connection wakes a blocked read, connect or TLS handshake), and cancel() runs every
// registered interrupt; a call waiting to retry wakes at once. The calls then end with Error
// kind `cancelled`, carrying the text received so far. Cancelling is final.
class CancelToken {
 public:
  CancelToken() = default;
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;

  void cancel();
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_acquire); }

  // Waits for `duration` or until cancelled; returns true when cancelled.
  bool wait_for(std::chrono::milliseconds duration);

  // An interrupt registered for as long as this object lives. Its destructor waits for a
  // running interrupt to finish, so what the interrupt touches may be released right after.
  class Subscription {
   public:
    Subscription() = default;
    Subscription(CancelToken* token, std::uint64_t id) : token_(token), id_(id) {}
    Subscription(Subscription&& other) noexcept
        : token_(std::exchange(other.token_, nullptr)), id_(other.id_) {}
    Subscription& operator=(Subscription&& other) noexcept;
    ~Subscription() { reset(); }
    void reset() noexcept;

   private:
    CancelToken* token_ = nullptr;
    std::uint64_t id_ = 0;
  };

  // Runs `interrupt` on cancel() (at once when already cancelled). It must be quick and must
  // not call back into this token.
  [[nodiscard]] Subscription on_cancel(std::function<void()> interrupt);

 private:
  void remove(std::uint64_t id) noexcept;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  // A call in flight has one subscription at a time: it takes this slot, no map node for it.
  // The others of a token shared by several calls (a batch's) are in the map. They run in no
  // particular order.
  std::uint64_t first_id_ = 0;  // 0: the slot is free
  std::function<void()> first_;
  std::map<std::uint64_t, std::function<void()>> more_;
  std::uint64_t next_id_ = 1;
  std::atomic<bool> cancelled_{false};
};

}  // namespace llmrt::core
