#include "routing/sliding_slots.h"

#include <algorithm>

namespace llmrt::core {
namespace {

long long floor_div(long long a, long long b) {
  long long q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

SlidingSlots::SlidingSlots(Clock::duration window, int slots)
    // Rounded up: `slots` slots must span at least the whole window.
    : slot_width_((window + Clock::duration(slots - 1)) / slots),
      window_slots_(slots),
      ring_(static_cast<std::size_t>(slots) + 1) {}

long long SlidingSlots::slot_of(Clock::time_point when) const {
  return floor_div(when.time_since_epoch().count(), slot_width_.count());
}

// Slot k spans [k·w, (k+1)·w); it has wholly left the window once (k+1)·w + window has passed,
// which the rounded-up width makes (k+1+slots)·w at the latest.
SlidingSlots::Clock::time_point SlidingSlots::slot_expiry(long long slot) const {
  return Clock::time_point(slot_width_ * (slot + 1 + window_slots_));
}

SlidingSlots::Clock::time_point SlidingSlots::expiry_of(Clock::time_point when) const {
  return slot_expiry(slot_of(when));
}

SlidingSlots::Units& SlidingSlots::at(long long slot) {
  const auto size = static_cast<long long>(ring_.size());
  return ring_[static_cast<std::size_t>(((slot % size) + size) % size)];
}

const SlidingSlots::Units& SlidingSlots::at(long long slot) const {
  const auto size = static_cast<long long>(ring_.size());
  return ring_[static_cast<std::size_t>(((slot % size) + size) % size)];
}

bool SlidingSlots::counts(long long slot) const {
  return newest_ && slot <= *newest_ && *newest_ - slot <= window_slots_;
}

void SlidingSlots::advance(Clock::time_point now) {
  const long long slot = slot_of(now);
  if (!newest_) {
    newest_ = slot;
    return;
  }
  if (slot <= *newest_) return;
  if (slot - *newest_ >= static_cast<long long>(ring_.size())) {
    std::fill(ring_.begin(), ring_.end(), Units{});
    total_ = {};
  } else {
    for (long long s = *newest_ + 1; s <= slot; ++s) {
      Units& gone = at(s);  // the slot s - ring size, which has left the window
      total_.requests -= gone.requests;
      total_.tokens -= gone.tokens;
      gone = {};
    }
  }
  newest_ = slot;
}

std::optional<long long> SlidingSlots::add(Clock::time_point when, Units units) {
  advance(when);
  const long long slot = slot_of(when);
  if (!counts(slot)) return std::nullopt;
  Units& into = at(slot);
  into.requests += units.requests;
  into.tokens += units.tokens;
  total_.requests += units.requests;
  total_.tokens += units.tokens;
  return slot;
}

void SlidingSlots::adjust_tokens(long long slot, long long delta) {
  if (!counts(slot)) return;
  at(slot).tokens += delta;
  total_.tokens += delta;
}

std::optional<SlidingSlots::Clock::time_point> SlidingSlots::when_at_most(Units allowed) const {
  Units left = total_;
  if (left.requests <= allowed.requests && left.tokens <= allowed.tokens) return std::nullopt;
  for (long long slot = *newest_ - window_slots_; slot <= *newest_; ++slot) {
    const Units& units = at(slot);
    left.requests -= units.requests;
    left.tokens -= units.tokens;
    if (left.requests <= allowed.requests && left.tokens <= allowed.tokens) {
      return slot_expiry(slot);
    }
  }
  return slot_expiry(*newest_);  // unreachable while `allowed` is not negative
}

}  // namespace llmrt::core
