#pragma once

// Classifying a provider's errors from a table instead of code: each rule says which errors it
// matches (HTTP status or range, error type, error code, words in the message) and what they
// are (ErrorKind, and whether the same request may succeed later). The first rule that matches
// wins; when none does, the HTTP status decides (kind_for_http_status).
//
//   constexpr ErrorRule kRules[] = {
//       {.code = "insufficient_quota", .kind = ErrorKind::quota_exhausted},
//       {.code = "Throttling*", .kind = ErrorKind::rate_limited},         // a prefix
//       {.status = 400, .message = "context length", .kind = ErrorKind::context_length},
//       {.status = 500, .status_max = 599, .code = "50002", .kind = ErrorKind::server,
//        .retryable = false},
//       {.status = kNoErrorStatus, .type = "api_error", .kind = ErrorKind::server},
//   };
//   constexpr ErrorTable kTable{kRules};
//   ErrorInfo info = error_from_response(response, kTable);  // classify_error in one line
//
// A table may continue another (ErrorTable{kMine, &kOpenAiStyle}): a provider's own rules
// first, then the shared ones.

#include <optional>
#include <span>
#include <string_view>

#include "llmrt/sdk/error.h"
#include "llmrt/sdk/http.h"
#include "llmrt/sdk/json.h"
#include "llmrt/sdk/visibility.h"

namespace llmrt {

// ErrorRule::status for rules that apply only when no HTTP error status is known: inside a
// stream (status 0) or in an error object under a 2xx status. A type such as
// "invalid_request_error" says less than a 401 does, so such rules stand behind the status.
inline constexpr int kNoErrorStatus = -1;

// One row of a table. Every matcher left empty (0, "") matches anything; a rule with several
// matches only when all of them do.
struct ErrorRule {
  // The HTTP status, or with status_max the range status..status_max; kNoErrorStatus: none.
  int status = 0;
  int status_max = 0;
  // The error's type and code, exactly, or by a prefix when the pattern ends in '*'
  // ("Throttling*" matches "Throttling.User"). A code sent as a number is matched as its text.
  std::string_view type{};
  std::string_view code{};
  // Words in the message, compared case-insensitively.
  std::string_view message{};
  ErrorKind kind = ErrorKind::server;
  // Goes to ErrorInfo::retryable: the provider's word on whether retrying can help (null: the
  // kind decides).
  std::optional<bool> retryable{};
};

// A table: its rules, then (when set) the rules of `next`.
struct ErrorTable {
  std::span<const ErrorRule> rules{};
  const ErrorTable* next = nullptr;
};

// What an error said of itself.
struct ErrorFields {
  int status = 0;  // the HTTP status; 0: none (inside a stream)
  std::string_view type{};
  std::string_view code{};
  std::string_view message{};
};

// Whether `rule` matches `fields`.
LLMRT_VISIBLE bool matches(const ErrorRule& rule, const ErrorFields& fields) noexcept;

// The first rule of `table` (and the tables it continues) that matches; null when none does.
LLMRT_VISIBLE const ErrorRule* find_error_rule(const ErrorTable& table,
                                               const ErrorFields& fields) noexcept;

// Sets info.kind and info.retryable: from the first rule that matches, else
// kind_for_http_status(fields.status), else `fallback` (the default: server when there was no
// status at all, an error said inside a stream; protocol for an error object under a 2xx).
LLMRT_VISIBLE void classify(const ErrorTable& table, const ErrorFields& fields, ErrorInfo& info,
                            std::optional<ErrorKind> fallback = std::nullopt) noexcept;

// An ErrorInfo from a JSON error object (an `error` member, DashScope's top-level
// {code, message, request_id}, an in-stream error event): message ("message", else "msg"),
// code ("code", a number as its text, else "type"), type, request_id, classified by `table`
// with `http_status` (0 inside a stream). An error object that names an HTTP error status of
// its own ("status_code" or "status", vLLM and LiteLLM; or a code that is one, OpenRouter) is
// classified by it when `http_status` is no error status. A string in place of the object is
// the message. `fallback` as for classify().
LLMRT_VISIBLE ErrorInfo error_from_json(const json::Value& error, const ErrorTable& table,
                                        int http_status = 0,
                                        std::optional<ErrorKind> fallback = std::nullopt);

// classify_error in one call for the usual bodies: `{"error": {...}}` or `{"error": "text"}`,
// else a top-level {message, code, type} (read as by error_from_json), else any other body (an
// HTML page from a gateway, empty, cut short) quoted as the message. The request id is the
// body's, else the headers' (request_id_from); an empty message becomes "HTTP <status>". The
// core reads Retry-After from the headers itself. Never throws.
LLMRT_VISIBLE ErrorInfo error_from_response(const HttpResponse& response, const ErrorTable& table);

}  // namespace llmrt
