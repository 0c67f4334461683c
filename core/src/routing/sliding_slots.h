#pragma once

#include <chrono>
#include <optional>
#include <vector>

namespace llmrt::core {

// What settled requests still count against a sliding window, in fixed memory: a ring of
// `slots` slots per window, each summing the units settled within it. A slot counts until the
// whole of it has left the window, so a unit settled at t counts at least until t + window
// (never less than a server counting arrivals over the same window) and at most one slot
// longer. Not thread-safe: RateBudget holds it under its lock.
class SlidingSlots {
 public:
  using Clock = std::chrono::steady_clock;
  struct Units {
    long long requests = 0;
    long long tokens = 0;
  };
  static constexpr int kSlotsPerWindow = 60;

  explicit SlidingSlots(Clock::duration window, int slots = kSlotsPerWindow);

  // Forgets the slots that left the window by `now`. Time only moves forward: an earlier `now`
  // than one seen before changes nothing.
  void advance(Clock::time_point now);
  // Adds units settled at `when` (advancing to it); returns their slot, or null when that slot
  // has already left the window (nothing to count).
  std::optional<long long> add(Clock::time_point when, Units units);
  // Changes the tokens of `slot` by `delta` when it still counts.
  void adjust_tokens(long long slot, long long delta);

  Units total() const noexcept { return total_; }
  // The earliest time, as things stand, when what still counts is at most `allowed` in both
  // units (null: already). `allowed` must not be negative.
  std::optional<Clock::time_point> when_at_most(Units allowed) const;
  // When units settled at `when` stop counting.
  Clock::time_point expiry_of(Clock::time_point when) const;

 private:
  long long slot_of(Clock::time_point when) const;
  Clock::time_point slot_expiry(long long slot) const;
  Units& at(long long slot);
  const Units& at(long long slot) const;
  bool counts(long long slot) const;

  Clock::duration slot_width_;
  long long window_slots_;
  std::vector<Units> ring_;  // window_slots_ + 1: the newest slot and the window before it
  std::optional<long long> newest_;
  Units total_{};
};

}  // namespace llmrt::core
