#pragma once

#include <Poco/Exception.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "llmrt/core/cancel_token.h"
#include "llmrt/core/transport.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {

// Keeps one call's limits on the connection it uses: a cancellation, the call's total deadline
// and the limit of the phase it is in (connecting, waiting for headers, draining) each shut the
// socket down under whatever blocking wait is in progress, and the failure that follows is
// explained as what it really was. One per connection use; not shared between threads, except
// that the cancellation and the watchdog may interrupt it from theirs.
class ConnectionWatch {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ConnectionWatch(const RequestContext& context);
  ~ConnectionWatch() { stop(); }
  ConnectionWatch(const ConnectionWatch&) = delete;
  ConnectionWatch& operator=(const ConnectionWatch&) = delete;

  // The socket to shut down when a limit is reached (the plain socket under TLS too).
  void watch(const Poco::Net::StreamSocket& socket);
  // A new phase, named for errors by `action` then `subject` ("waiting for the response
  // headers from " "http://…"), limited to `limit` (and always to the total deadline); no limit
  // of its own with nullopt. `action` and `limit_name` are literals, kept as pointers (a
  // std::string does not convert to one), so that a request's phases build no string: the name
  // is put together only for an error.
  void enter(const char* action, std::string_view subject,
             std::optional<std::chrono::milliseconds> limit, const char* limit_name = "");
  // Renames the phase and keeps its limit: the next step of the same phase.
  void rename(const char* action, std::string_view subject) {
    action_ = action;
    subject_.assign(subject);  // the same capacity phase after phase: no allocation
  }
  // No interrupt runs once this returns. Idempotent.
  void stop() noexcept;

  // Throws the cancellation or the total timeout when either already happened.
  void check() const;
  // The watch shut the socket down: the connection must not be reused.
  bool interrupted() const noexcept { return why_.load(std::memory_order_acquire) != Why::none; }
  std::string phase() const { return std::string(action_) + subject_; }

  // The error to report for a failure in the current phase: the cancellation or the limit that
  // caused it, or else the failure itself.
  Error explain(const Poco::Exception& e) const;
  Error explain(const Error& e) const;

 private:
  enum class Why : std::uint8_t { none, cancelled, deadline, phase_limit };
  // A phase's limit, for naming it: the one a limit that went off belongs to.
  struct Phase {
    const char* action = "";
    const char* limit_name = "";
    std::chrono::milliseconds limit{0};
  };
  // `phase`: the count of enter() calls when the alarm was armed (0: no alarm's doing).
  void interrupt(Why why, std::uint64_t phase = 0) noexcept;
  // Why the watch interrupted (or must: the deadline passed), for check().
  std::optional<Error> reason() const;
  // That, or a phase limit that passed before its alarm went off: what explains a failure.
  std::optional<Error> failure_reason() const;
  Error limit_error(const Phase& phase) const;

  CancelToken* cancel_;
  std::optional<Clock::time_point> deadline_;
  CancelToken::Subscription subscription_;
  std::uint64_t alarm_ = 0;
  Clock::time_point alarm_when_;
  mutable std::mutex mutex_;  // guards socket_ and fired_phase_ against an interrupt from another
                              // thread
  std::optional<Poco::Net::StreamSocket> socket_;
  std::atomic<Why> why_{Why::none};
  // enter() calls so far; a phase's renames keep its number. The alarm of a phase limit carries
  // the number it was armed in, so that one going off just as the next phase begins (before
  // that phase disarms it) is named for its own phase, by its last name.
  std::uint64_t phase_ = 0;
  std::uint64_t fired_phase_ = 0;  // with why_ phase_limit: the number it went off for
  Phase previous_;                 // the phase before this one, as it ended
  const char* action_ = "";
  std::string subject_;
  const char* limit_name_ = "";
  std::chrono::milliseconds limit_{0};
  // When the phase's own limit runs out: a socket's timeout of the same length can go off before
  // the watchdog's alarm does, and the error must still name the limit.
  std::optional<Clock::time_point> phase_end_;
};

}  // namespace llmrt::core
