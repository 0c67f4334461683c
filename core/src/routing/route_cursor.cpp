#include "routing/route_cursor.h"

#include <algorithm>
#include <random>

#include "async/fiber_loop.h"
#include "llmrt/core/cancel_token.h"
#include "routing/pick_target.h"

namespace llmrt::core {
namespace {

using Clock = std::chrono::steady_clock;

double random_unit() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

int in_flight_of(const RouteNode& node) {
  int total = 0;
  for (const ModelState* d : node.deployments()) total += d->live->load.in_flight();
  return total;
}

}  // namespace

bool moves_on(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::bad_request:
    case ErrorKind::context_length:
    case ErrorKind::content_filter:
    case ErrorKind::cancelled:
      return false;
    default:
      return true;
  }
}

RouteCursor::RouteCursor(const RouteNode& node, CursorEnv& env)
    : node_(node), env_(env), tried_(node.targets.size(), false) {}

RouteCursor::~RouteCursor() = default;

const ModelState* RouteCursor::start() {
  if (node_.is_leaf()) {
    const ModelState* deployment = node_.deployment.get();
    auto& visited = env_.visited;
    if (std::find(visited.begin(), visited.end(), deployment) != visited.end()) return nullptr;
    visited.push_back(deployment);
    yielded_ = true;
    return deployment;
  }
  while (true) {
    cooling_until_.reset();
    if (const ModelState* d = next_target()) return d;
    // Every target cooling down (or failed at once): the fallbacks are there for this.
    phase_ = Phase::fallbacks;
    if (const ModelState* d = next_fallback()) return d;
    if (yielded_ || !wait_for_cooling(Clock::now())) {
      phase_ = Phase::done;
      return nullptr;
    }
    phase_ = Phase::targets;
    std::fill(tried_.begin(), tried_.end(), false);
    fallback_ = 0;
  }
}

const ModelState* RouteCursor::after(const Error& failure) {
  if (node_.is_leaf()) return nullptr;
  if (sub_) {
    if (const ModelState* d = sub_->after(failure)) return d;
  }
  if (phase_ == Phase::on || phase_ == Phase::done) return nullptr;
  const ErrorKind kind = failure.info().kind;
  if (auto it = node_.on.find(kind); it != node_.on.end()) {
    phase_ = Phase::on;
    return descend(*it->second);
  }
  if (!moves_on(kind)) return nullptr;
  if (phase_ == Phase::targets) {
    if (const ModelState* d = next_target()) return d;
    phase_ = Phase::fallbacks;
  }
  if (const ModelState* d = next_fallback()) return d;
  phase_ = Phase::done;
  return nullptr;
}

bool RouteCursor::has_alternatives() const {
  if (node_.is_leaf()) return false;
  if (sub_ && sub_->has_alternatives()) return true;
  if (phase_ == Phase::on || phase_ == Phase::done) return false;
  if (fallback_ < node_.fallbacks.size()) return true;
  return phase_ == Phase::targets && std::find(tried_.begin(), tried_.end(), false) != tried_.end();
}

const ModelState* RouteCursor::descend(const RouteNode& node) {
  sub_ = std::make_unique<RouteCursor>(node, env_);
  const ModelState* d = sub_->start();
  if (d != nullptr) yielded_ = true;
  return d;
}

bool RouteCursor::available(const RouteNode& node, Clock::time_point now) {
  bool any = false;
  const auto& visited = env_.visited;
  for (const ModelState* d : node.deployments()) {
    if (std::find(visited.begin(), visited.end(), d) != visited.end()) continue;
    auto until = d->live->health.cooling_until(now);
    if (!until) {
      any = true;
    } else if (!cooling_until_ || *until < *cooling_until_) {
      cooling_until_ = until;
    }
  }
  return any;
}

const ModelState* RouteCursor::next_target() {
  while (true) {
    const Clock::time_point now = Clock::now();
    std::vector<Candidate> candidates;
    std::vector<Clock::time_point> ready_at;  // when each candidate's rate budget has room
    for (std::size_t i = 0; i < node_.targets.size(); ++i) {
      const RouteNode& target = *node_.targets[i];
      if (tried_[i] || !available(target, now)) continue;
      Candidate c{.index = i, .weight = node_.route.targets[i].weight};
      Clock::time_point ready = now;
      if (target.is_leaf()) {
        const ModelState& d = *target.deployment;
        c.in_flight = d.live->load.in_flight();
        c.latency = d.live->load.average_seconds(env_.streamed);
        if (d.live->budget.limited()) {
          try {
            ready = d.live->budget.available_at(env_.estimate(d), now);
          } catch (const Error& e) {
            // More tokens than its whole window allows: this target's limit, not the request's
            // fault; another target or a fallback may well take it.
            tried_[i] = true;
            if (env_.refused) env_.refused(e);
            continue;
          }
        }
      } else {
        c.in_flight = in_flight_of(target);
      }
      candidates.push_back(c);
      ready_at.push_back(ready);
    }
    if (candidates.empty()) return nullptr;
    // Targets with room in their budgets now go first; when none has, the one with room
    // soonest is the only sensible pick, whatever the strategy.
    std::vector<Candidate> with_room;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (ready_at[i] <= now) with_room.push_back(candidates[i]);
    }
    std::size_t index;
    if (with_room.empty()) {
      auto soonest = std::min_element(ready_at.begin(), ready_at.end()) - ready_at.begin();
      index = candidates[static_cast<std::size_t>(soonest)].index;
    } else {
      std::size_t at =
          pick_target(node_.route.strategy, with_room,
                      node_.turn.fetch_add(1, std::memory_order_relaxed), random_unit());
      index = with_room[at].index;
    }
    tried_[index] = true;
    if (const ModelState* d = descend(*node_.targets[index])) return d;
  }
}

const ModelState* RouteCursor::next_fallback() {
  const Clock::time_point now = Clock::now();
  while (fallback_ < node_.fallbacks.size()) {
    const RouteNode& fallback = *node_.fallbacks[fallback_++];
    if (!available(fallback, now)) continue;
    if (const ModelState* d = descend(fallback)) return d;
  }
  return nullptr;
}

bool RouteCursor::wait_for_cooling(Clock::time_point now) {
  if (node_.route.when_all_cooling == WhenAllCooling::fail || !cooling_until_) return false;
  if (env_.deadline && *cooling_until_ >= *env_.deadline) return false;
  auto delay = std::chrono::ceil<std::chrono::milliseconds>(*cooling_until_ - now);
  if (delay.count() > 0 && env_.cancel != nullptr &&
      off_the_loop([&] { return env_.cancel->wait_for(delay); })) {
    return false;
  }
  return true;
}

}  // namespace llmrt::core
