#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "llmrt/core/cancel_token.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {

// One retry about to happen: the attempt that failed, why, and how long llmrt waits first
// (0 when it switches to another key at once).
struct RetryNotice {
  int attempt = 0;  // 1 for the first retry
  ErrorKind kind = ErrorKind::server;
  int http_status = 0;
  std::chrono::milliseconds delay{0};
  std::string key{};  // the key that failed, masked ("…last4")
};

// A call moving to another deployment: from the model that failed (empty when it was skipped
// before any attempt, as cooling), to the one tried next, and why: the failure's kind
// ("server", "context_length", …) or "cooling".
struct RouteNotice {
  std::string from{};
  std::string to{};
  std::string reason{};
  int http_status = 0;
  std::string message{};  // the failure's message, redacted
};

// Per-call controls beyond the parameters.
struct CallControl {
  // Cancel the call from another thread with cancel->cancel().
  std::shared_ptr<CancelToken> cancel{};
  // Told of each retry before its wait (the CLI prints these as "retry" events).
  std::function<void(const RetryNotice&)> on_retry{};
  // Told when a routed call moves to another deployment (the CLI prints "route" events).
  std::function<void(const RouteNotice&)> on_route{};
};

}  // namespace llmrt::core
