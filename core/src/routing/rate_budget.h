#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "llmrt/sdk/http.h"

namespace llmrt::core {

class CancelToken;

// A client-side rate budget: at most `requests` requests and `tokens` tokens in any `window`
// (0: that one is unlimited), plus what the provider's rate-limit headers say is left. A
// request counts from the moment it is admitted: while on its way (it may reach the server at
// any moment) and, once settled (the response head arrived or the attempt failed), until its
// settling time has left the window — so a server that counts arrivals over the same window
// never sees more than the limit. Thread-safe; memory is fixed (the window is kept in a ring of
// slots, each counted until the whole slot has left the window, which errs on the safe side).
// Permits share the budget's state: they may outlive it.
class RateBudget {
 public:
  using Clock = std::chrono::steady_clock;

  struct Limits {
    long long requests = 0;
    long long tokens = 0;
    std::chrono::milliseconds window{60'000};
  };

 private:
  struct Impl;  // here, before the permit that holds one

 public:
  // One admitted request. Settles itself (at destruction time) if nobody did; movable.
  class Permit {
   public:
    Permit();
    Permit(Permit&&) noexcept;
    Permit& operator=(Permit&&) noexcept;
    ~Permit();
    // The request reached the server (or failed): its units now age out of the window.
    void settle(Clock::time_point now = Clock::now());
    // The tokens the provider reported for it, in place of the estimate.
    void correct(long long tokens);
    explicit operator bool() const noexcept;

   private:
    friend class RateBudget;
    // settle() at the time now, reading the clock only when there is something to settle: a
    // call destroys and assigns over several empty permits.
    void settle_if_open();
    // In place, not behind a pointer: every request takes a permit.
    struct State {
      std::shared_ptr<Impl> budget;
      long long tokens = 0;
      std::uint64_t observation = 0;  // the server token limit it was admitted under
      bool settled = false;
      std::optional<long long> slot;  // where its units count once settled
    };
    std::optional<State> state_;
  };

  // Throws Error (bad_request) for a negative limit or a window that is not positive.
  explicit RateBudget(Limits limits);
  ~RateBudget();
  RateBudget(const RateBudget&) = delete;
  RateBudget& operator=(const RateBudget&) = delete;

  // A permit when a request estimated at `tokens` fits now, else when to ask again. Throws Error
  // (bad_request) when it can never fit (more tokens than the whole window allows).
  std::optional<Permit> try_acquire(long long tokens, Clock::time_point now,
                                    Clock::time_point* retry_at);
  // Waits for a permit, cut short by `cancel` (Error cancelled) or `deadline` (Error timeout:
  // "the rate budget (rpm 600) has no room before the call's deadline"), at once when, as
  // things stand, the first room comes after the deadline (a route may try elsewhere).
  Permit acquire(long long tokens, CancelToken& cancel, std::optional<Clock::time_point> deadline);
  // When a request of `tokens` could be admitted, as things stand (now or earlier: at once).
  // Throws like try_acquire.
  Clock::time_point available_at(long long tokens, Clock::time_point now) const;

  // A response's rate-limit headers (OpenAI's x-ratelimit-remaining-requests / -tokens with
  // x-ratelimit-reset-requests / -tokens, durations such as "1s", "6m0s", "120ms"): until the
  // reset (ten minutes at most), no more than what remains (less the requests still in flight) is
  // admitted. A bare number is seconds. Headers it cannot read are ignored; a remaining count
  // without a reset is too (it would hold for no known time).
  void observe(const HttpHeaders& headers, Clock::time_point now);

  // Whether anything limits it: a configured limit or a server's remaining count.
  bool limited() const;
  // Whether it holds tokens back (a tokens limit, or the server's remaining tokens): only then
  // is a request's estimate worth computing.
  bool counts_tokens() const;
  const Limits& limits() const noexcept;

 private:
  std::shared_ptr<Impl> impl_;  // shared with the permits
};

}  // namespace llmrt::core
