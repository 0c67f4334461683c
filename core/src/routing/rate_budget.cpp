#include "routing/rate_budget.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>

#include "llmrt/core/cancel_token.h"
#include "llmrt/sdk/error.h"
#include "routing/reset_duration.h"
#include "routing/sliding_slots.h"

namespace llmrt::core {
namespace {

using Clock = RateBudget::Clock;

// How long acquire() sleeps at most before looking again: a newer server header or a corrected
// estimate may make room before the time it computed.
constexpr std::chrono::milliseconds kLongestNap{1000};
// The longest a provider's remaining count holds calls back: OpenAI documents resets such as
// "6m0s"; one hours away (a daily quota, or a hostile server) is looked at again after this.
constexpr std::chrono::milliseconds kLongestServerHold{600'000};

std::string duration_text(Clock::duration duration) {
  const double ms = std::chrono::duration<double, std::milli>(duration).count();
  char text[48];
  if (ms < 1000) {
    std::snprintf(text, sizeof text, "%.0f ms", std::max(ms, 0.0));
  } else {
    std::snprintf(text, sizeof text, "%.4g s", ms / 1000);
  }
  return text;
}

std::string limits_text(const RateBudget::Limits& limits) {
  const bool per_minute = limits.window == std::chrono::minutes(1);
  const std::string per = " per " + duration_text(limits.window);
  std::string text;
  if (limits.requests > 0) {
    text = per_minute ? "rpm " + std::to_string(limits.requests)
                      : std::to_string(limits.requests) + " requests" + per;
  }
  if (limits.tokens > 0) {
    if (!text.empty()) text += ", ";
    text += per_minute ? "tpm " + std::to_string(limits.tokens)
                       : std::to_string(limits.tokens) + " tokens" + per;
  }
  return text;
}

// A count from a header: digits only (surrounding blanks allowed), else null.
std::optional<long long> header_count(const HttpHeaders& headers, std::string_view name) {
  const std::string* value = find_header(headers, name);
  if (value == nullptr) return std::nullopt;
  std::string_view text = *value;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  long long count = 0;
  auto [stop, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (text.empty() || ec != std::errc() || stop != text.data() + text.size() || count < 0) {
    return std::nullopt;
  }
  return count;
}

}  // namespace

struct RateBudget::Impl {
  // What a server's headers said is left until its reset, less what was admitted since. A
  // member type, not file-local: the unity builds compile this file inside another unit, where
  // a member of a file-local type is an error (-Wsubobject-linkage).
  struct ServerLimit {
    long long allowed = 0;
    Clock::time_point reset{};
    std::uint64_t observation = 0;  // which observe() set it
  };

  explicit Impl(Limits l) : limits(l), settled(l.window) {}

  // Throws when a request of `tokens` could never be admitted.
  void check_fits(long long tokens) const {
    if (limits.tokens > 0 && tokens > limits.tokens) {
      throw Error(ErrorKind::bad_request,
                  "a request estimated at " + std::to_string(tokens) +
                      " tokens can never fit the rate budget (" + limits_text(limits) +
                      "): lower the output limit, shorten the prompt or raise the tpm limit");
    }
  }

  void forget_past_resets(Clock::time_point now) {
    if (server_requests && server_requests->reset <= now) server_requests.reset();
    if (server_tokens && server_tokens->reset <= now) server_tokens.reset();
  }

  // Null when a request of `tokens` fits now, else the earliest time it may, as things stand.
  std::optional<Clock::time_point> blocked_until(long long tokens, Clock::time_point now) {
    settled.advance(now);
    forget_past_resets(now);
    std::optional<Clock::time_point> until;
    auto later = [&until](Clock::time_point when) {
      if (!until || when > *until) until = when;
    };
    constexpr long long kNoLimit = std::numeric_limits<long long>::max() / 4;
    const SlidingSlots::Units allowed{
        limits.requests > 0 ? limits.requests - in_flight.requests - 1 : kNoLimit,
        limits.tokens > 0 ? limits.tokens - in_flight.tokens - tokens : kNoLimit};
    if (allowed.requests < 0 || allowed.tokens < 0) {
      // The requests in flight alone leave no room: even settled now they count a window on.
      later(settled.expiry_of(now));
    } else if (auto when = settled.when_at_most(allowed)) {
      later(*when);
    }
    if (server_requests && server_requests->allowed < 1) later(server_requests->reset);
    if (server_tokens && server_tokens->allowed < tokens) later(server_tokens->reset);
    return until;
  }

  void admit(long long tokens) {
    ++in_flight.requests;
    in_flight.tokens += tokens;
    if (server_requests) --server_requests->allowed;
    if (server_tokens) server_tokens->allowed -= tokens;
  }

  std::string describe(Clock::time_point now) const {
    std::string text = limits_text(limits);
    auto add_server = [&](const std::optional<ServerLimit>& limit, const char* unit) {
      if (!limit || limit->reset <= now) return;
      if (!text.empty()) text += "; ";
      text += "the server allows " + std::to_string(std::max(limit->allowed, 0LL)) + " more " +
              unit + " for " + duration_text(limit->reset - now);
    };
    add_server(server_requests, "requests");
    add_server(server_tokens, "tokens");
    return text;
  }

  const Limits limits;
  std::mutex mutex;
  SlidingSlots settled;
  SlidingSlots::Units in_flight{};
  std::optional<ServerLimit> server_requests;
  std::optional<ServerLimit> server_tokens;
  std::uint64_t observations = 0;
  // Whether a server's headers ever set a limit: until then limited() and counts_tokens(),
  // asked of every call, need neither the clock nor the lock.
  std::atomic<bool> server_limits_seen{false};
};

RateBudget::Permit::Permit() = default;
// A moved-from optional still holds a (moved-from) state: the permit taken from is emptied.
RateBudget::Permit::Permit(Permit&& other) noexcept
    : state_(std::exchange(other.state_, std::nullopt)) {}

RateBudget::Permit& RateBudget::Permit::operator=(Permit&& other) noexcept {
  if (this != &other) {
    settle_if_open();
    state_ = std::exchange(other.state_, std::nullopt);
  }
  return *this;
}

RateBudget::Permit::~Permit() { settle_if_open(); }

void RateBudget::Permit::settle_if_open() {
  if (state_ && !state_->settled) settle(Clock::now());
}

RateBudget::Permit::operator bool() const noexcept { return state_.has_value(); }

void RateBudget::Permit::settle(Clock::time_point now) {
  if (!state_ || state_->settled) return;
  Impl& budget = *state_->budget;
  std::lock_guard lock(budget.mutex);
  --budget.in_flight.requests;
  budget.in_flight.tokens -= state_->tokens;
  state_->slot = budget.settled.add(now, {1, state_->tokens});
  state_->settled = true;
}

void RateBudget::Permit::correct(long long tokens) {
  if (!state_) return;
  tokens = std::max(tokens, 0LL);
  Impl& budget = *state_->budget;
  std::lock_guard lock(budget.mutex);
  const long long delta = tokens - state_->tokens;
  if (!state_->settled) {
    budget.in_flight.tokens += delta;
  } else if (state_->slot) {
    budget.settled.adjust_tokens(*state_->slot, delta);
  }
  if (budget.server_tokens && budget.server_tokens->observation == state_->observation) {
    budget.server_tokens->allowed -= delta;
  }
  state_->tokens = tokens;
}

RateBudget::RateBudget(Limits limits) {
  if (limits.requests < 0 || limits.tokens < 0) {
    throw Error(ErrorKind::bad_request, "a rate budget's limits must not be negative (requests " +
                                            std::to_string(limits.requests) + ", tokens " +
                                            std::to_string(limits.tokens) + ")");
  }
  if (limits.window <= std::chrono::milliseconds::zero()) {
    throw Error(ErrorKind::bad_request, "a rate budget's window must be positive (got " +
                                            std::to_string(limits.window.count()) + " ms)");
  }
  impl_ = std::make_shared<Impl>(limits);
}

RateBudget::~RateBudget() = default;

std::optional<RateBudget::Permit> RateBudget::try_acquire(long long tokens, Clock::time_point now,
                                                          Clock::time_point* retry_at) {
  tokens = std::max(tokens, 0LL);
  impl_->check_fits(tokens);
  std::lock_guard lock(impl_->mutex);
  if (auto until = impl_->blocked_until(tokens, now)) {
    if (retry_at != nullptr) *retry_at = *until;
    return std::nullopt;
  }
  impl_->admit(tokens);
  Permit permit;
  // Assigned whole, not emplace()d: clang takes State for not default-constructible where the
  // optional is declared, before its member initializers are read.
  permit.state_ = Permit::State{
      .budget = impl_,
      .tokens = tokens,
      .observation = impl_->server_tokens ? impl_->server_tokens->observation : 0,
  };
  return permit;
}

RateBudget::Permit RateBudget::acquire(long long tokens, CancelToken& cancel,
                                       std::optional<Clock::time_point> deadline) {
  if (cancel.cancelled()) {
    // Every attempt passes here first, budget or not: a token cancelled before it (one reused
    // from an earlier call, say) has stopped a request that was never sent.
    throw Error(ErrorKind::cancelled, "cancelled before the request was sent");
  }
  for (;;) {
    if (cancel.cancelled()) {
      throw Error(ErrorKind::cancelled, "cancelled while waiting for room in the rate budget");
    }
    const Clock::time_point now = Clock::now();
    Clock::time_point retry_at{};
    if (auto permit = try_acquire(tokens, now, &retry_at)) return std::move(*permit);
    if (deadline && retry_at > *deadline) {
      std::string budget;
      {
        std::lock_guard lock(impl_->mutex);
        budget = impl_->describe(now);
      }
      throw Error(ErrorKind::timeout, "the rate budget (" + budget +
                                          ") has no room before the call's deadline (room in " +
                                          duration_text(retry_at - now) + ")");
    }
    const auto nap = std::clamp(std::chrono::ceil<std::chrono::milliseconds>(retry_at - now),
                                std::chrono::milliseconds(1), kLongestNap);
    if (cancel.wait_for(nap)) {
      throw Error(ErrorKind::cancelled, "cancelled while waiting for room in the rate budget");
    }
  }
}

RateBudget::Clock::time_point RateBudget::available_at(long long tokens,
                                                       Clock::time_point now) const {
  tokens = std::max(tokens, 0LL);
  impl_->check_fits(tokens);
  std::lock_guard lock(impl_->mutex);
  return impl_->blocked_until(tokens, now).value_or(now);
}

void RateBudget::observe(const HttpHeaders& headers, Clock::time_point now) {
  auto read =
      [&](std::string_view remaining_name,
          std::string_view reset_name) -> std::optional<std::pair<long long, Clock::time_point>> {
    auto remaining = header_count(headers, remaining_name);
    if (!remaining) return std::nullopt;  // most replies: no look for the reset either
    const std::string* reset_text = find_header(headers, reset_name);
    if (reset_text == nullptr) return std::nullopt;
    auto reset = parse_reset_duration(*reset_text);
    if (!reset) return std::nullopt;
    // A server's word holds calls back for kLongestServerHold at most: a reset hours away (a
    // daily quota, or a hostile server) is looked at again then, from the next reply's headers.
    auto hold = std::min(std::chrono::duration_cast<Clock::duration>(*reset),
                         std::chrono::duration_cast<Clock::duration>(kLongestServerHold));
    return std::pair{*remaining, now + hold};
  };
  auto requests = read("x-ratelimit-remaining-requests", "x-ratelimit-reset-requests");
  auto tokens = read("x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens");
  if (!requests && !tokens) return;
  std::lock_guard lock(impl_->mutex);
  const std::uint64_t observation = ++impl_->observations;
  // The requests still in flight may reach the server after it counted what remains.
  if (requests) {
    impl_->server_requests = Impl::ServerLimit{requests->first - impl_->in_flight.requests,
                                               requests->second, observation};
  }
  if (tokens) {
    impl_->server_tokens =
        Impl::ServerLimit{tokens->first - impl_->in_flight.tokens, tokens->second, observation};
  }
  impl_->server_limits_seen.store(true, std::memory_order_release);
  impl_->forget_past_resets(now);
}

bool RateBudget::counts_tokens() const {
  if (impl_->limits.tokens > 0) return true;
  if (!impl_->server_limits_seen.load(std::memory_order_acquire)) return false;
  const Clock::time_point now = Clock::now();
  std::lock_guard lock(impl_->mutex);
  return impl_->server_tokens && impl_->server_tokens->reset > now;
}

bool RateBudget::limited() const {
  const Limits& limits = impl_->limits;
  if (limits.requests > 0 || limits.tokens > 0) return true;
  if (!impl_->server_limits_seen.load(std::memory_order_acquire)) return false;
  const Clock::time_point now = Clock::now();
  std::lock_guard lock(impl_->mutex);
  return (impl_->server_requests && impl_->server_requests->reset > now) ||
         (impl_->server_tokens && impl_->server_tokens->reset > now);
}

const RateBudget::Limits& RateBudget::limits() const noexcept { return impl_->limits; }

}  // namespace llmrt::core
