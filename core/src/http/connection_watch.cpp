#include "http/connection_watch.h"

#include "http/poco_errors.h"
#include "http/watchdog.h"

namespace llmrt::core {

ConnectionWatch::ConnectionWatch(const RequestContext& context)
    : cancel_(context.cancel), deadline_(context.deadline) {
  if (cancel_ != nullptr) {
    subscription_ = cancel_->on_cancel([this] { interrupt(Why::cancelled); });
  }
}

void ConnectionWatch::watch(const Poco::Net::StreamSocket& socket) {
  std::lock_guard lock(mutex_);
  socket_ = socket;
  if (why_.load(std::memory_order_acquire) != Why::none) {
    try {
      socket_->shutdown();
    } catch (const Poco::Exception&) {
      // Not connected yet: the check before the next wait sees the reason.
    }
  }
}

void ConnectionWatch::enter(const char* action, std::string_view subject,
                            std::optional<std::chrono::milliseconds> limit,
                            const char* limit_name) {
  previous_ = Phase{action_, limit_name_, limit_};
  ++phase_;
  rename(action, subject);
  limit_name_ = limit_name;
  std::optional<Clock::time_point> when = deadline_;
  Why why = Why::deadline;
  phase_end_.reset();
  limit_ = limit.value_or(std::chrono::milliseconds(0));  // none: no stale one to be named
  if (limit) {
    Clock::time_point phase_end = Clock::now() + *limit;
    phase_end_ = phase_end;
    if (!when || phase_end < *when) {
      when = phase_end;
      why = Why::phase_limit;
    }
  }
  // The alarm already set stays when it is the same (the total deadline, phase after phase).
  if (alarm_ != 0 && when && alarm_when_ == *when) return;
  if (alarm_ != 0) Watchdog::instance().disarm(std::exchange(alarm_, 0));
  if (when) {
    // The phase's number and the reason in one word: the action then fits std::function's own
    // storage, and arming a call's alarm allocates nothing.
    const std::uint64_t tag = phase_ << 8 | static_cast<std::uint64_t>(why);
    alarm_ = Watchdog::instance().arm(
        *when, [this, tag] { interrupt(static_cast<Why>(tag & 0xFF), tag >> 8); });
    alarm_when_ = *when;
  }
}

void ConnectionWatch::stop() noexcept {
  subscription_.reset();
  if (alarm_ != 0) Watchdog::instance().disarm(std::exchange(alarm_, 0));
  std::lock_guard lock(mutex_);
  socket_.reset();
}

void ConnectionWatch::interrupt(Why why, std::uint64_t phase) noexcept {
  std::lock_guard lock(mutex_);
  Why none = Why::none;
  if (why_.compare_exchange_strong(none, why, std::memory_order_acq_rel)) fired_phase_ = phase;
  if (!socket_) return;
  try {
    // The plain socket even under TLS: a shutdown(2) of the descriptor wakes the blocked
    // thread without touching the TLS state it is using.
    socket_->shutdown();
  } catch (const Poco::Exception&) {
    // Not connected (yet, or any more): nothing is blocked on it.
  }
}

std::optional<Error> ConnectionWatch::reason() const {
  Why why = why_.load(std::memory_order_acquire);
  if (why == Why::cancelled || (cancel_ != nullptr && cancel_->cancelled())) {
    return Error(ErrorKind::cancelled, "cancelled while " + phase());
  }
  if (why == Why::deadline || (deadline_ && Clock::now() >= *deadline_)) {
    return Error(ErrorKind::timeout, "the call's total timeout ran out while " + phase());
  }
  if (why == Why::phase_limit) {
    std::uint64_t fired = 0;
    {
      std::lock_guard lock(mutex_);
      fired = fired_phase_;
    }
    // An alarm is disarmed when the next phase begins: one that went off belongs to this phase
    // or, just before it began, to the one before.
    return limit_error(fired == phase_ ? Phase{action_, limit_name_, limit_} : previous_);
  }
  return std::nullopt;
}

std::optional<Error> ConnectionWatch::failure_reason() const {
  if (std::optional<Error> error = reason()) return error;
  // Passed, whether or not the alarm has gone off yet (it may be a tick late): a read that timed
  // out on the socket's own limit meanwhile is this limit's doing. Asked only of a failure: the
  // check() before every read takes no clock reading for it.
  if (phase_end_ && Clock::now() >= *phase_end_) {
    return limit_error(Phase{action_, limit_name_, limit_});
  }
  return std::nullopt;
}

Error ConnectionWatch::limit_error(const Phase& phase) const {
  return Error(ErrorKind::timeout,
               std::string(phase.action) + subject_ + " took longer than " +
                   (*phase.limit_name == '\0' ? "its limit" : phase.limit_name) + " (" +
                   std::to_string(phase.limit.count()) + " ms)");
}

void ConnectionWatch::check() const {
  if (std::optional<Error> error = reason()) throw *error;
}

Error ConnectionWatch::explain(const Poco::Exception& e) const {
  if (std::optional<Error> error = failure_reason()) return *error;
  return to_error(e, phase());
}

Error ConnectionWatch::explain(const Error& e) const {
  if (std::optional<Error> error = failure_reason()) return *error;
  ErrorInfo info = e.info();
  info.message = phase() + ": " + info.message;
  return Error(std::move(info), e.partial_content());
}

}  // namespace llmrt::core
