#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "llmrt/sdk/visibility.h"

namespace llmrt {

// What went wrong, in terms the retry policy and the key pool act on.
enum class ErrorKind {
  rate_limited,     // slow down; this key cools off
  quota_exhausted,  // this key has no quota left: take it out
  auth,             // this key is invalid: take it out
  permission,
  bad_request,
  context_length,
  content_filter,
  not_found,
  server,
  timeout,
  network,
  protocol,  // the peer broke the wire format (malformed JSON, oversized line, …)
  cancelled,
};

LLMRT_VISIBLE std::string_view to_string(ErrorKind kind) noexcept;
// Returns null on an unknown name.
LLMRT_VISIBLE std::optional<ErrorKind> error_kind_from_string(std::string_view name) noexcept;

// The kind an HTTP error status means when the body says nothing more specific: 400 and other
// 4xx bad_request, 401 auth, 403 permission, 404 not_found, 408 timeout, 409 and 5xx server
// (worth a retry), 429 rate_limited. Returns null for a status that is no error.
LLMRT_VISIBLE std::optional<ErrorKind> kind_for_http_status(int status) noexcept;

// A classified failure. Plugins fill what they can read from the wire; the core adds the
// provider name and the partial output.
struct ErrorInfo {
  ErrorKind kind = ErrorKind::protocol;
  int http_status = 0;       // 0: no HTTP status (network failure, in-stream error)
  std::string code{};        // the provider's error code or type, as sent
  std::string message{};     // the provider's message, or ours
  std::string request_id{};  // x-request-id or the body's request id
  std::string provider{};
  std::optional<std::chrono::milliseconds> retry_after{};
  // The provider's own word on whether the same request may succeed later (an error table
  // entry, a "retryable" field); null: the kind decides (rate_limited, server and timeout are
  // retried). A server's x-should-retry header overrides both.
  std::optional<bool> retryable{};
  // The URL of the failed call, set by the core with its secrets removed (userinfo, query
  // values, keys); empty when the call never got as far as a URL.
  std::string url{};
};

// The one exception type of the request path. `partial_content()` holds whatever reply text
// reached the caller before the failure, so nothing that arrived is lost.
class LLMRT_VISIBLE Error : public std::runtime_error {
 public:
  explicit Error(ErrorInfo info, std::string partial_content = {});
  Error(ErrorKind kind, std::string message);

  const ErrorInfo& info() const noexcept { return info_; }
  ErrorKind kind() const noexcept { return info_.kind; }
  const std::string& partial_content() const noexcept { return partial_content_; }

 private:
  ErrorInfo info_;
  std::string partial_content_;
};

// "kind (provider P, HTTP 429, code X, request id R, url U): message" — the parts that are
// known.
LLMRT_VISIBLE std::string describe(const ErrorInfo& info);

}  // namespace llmrt
