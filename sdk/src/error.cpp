#include "llmrt/sdk/error.h"

#include <array>
#include <utility>

namespace llmrt {
namespace {

constexpr std::array<std::pair<ErrorKind, std::string_view>, 13> kKindNames{{
    {ErrorKind::rate_limited, "rate_limited"},
    {ErrorKind::quota_exhausted, "quota_exhausted"},
    {ErrorKind::auth, "auth"},
    {ErrorKind::permission, "permission"},
    {ErrorKind::bad_request, "bad_request"},
    {ErrorKind::context_length, "context_length"},
    {ErrorKind::content_filter, "content_filter"},
    {ErrorKind::not_found, "not_found"},
    {ErrorKind::server, "server"},
    {ErrorKind::timeout, "timeout"},
    {ErrorKind::network, "network"},
    {ErrorKind::protocol, "protocol"},
    {ErrorKind::cancelled, "cancelled"},
}};

}  // namespace

std::string_view to_string(ErrorKind kind) noexcept {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<ErrorKind> error_kind_from_string(std::string_view name) noexcept {
  for (const auto& [k, n] : kKindNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

std::optional<ErrorKind> kind_for_http_status(int status) noexcept {
  switch (status) {
    case 401:
      return ErrorKind::auth;
    case 403:
      return ErrorKind::permission;
    case 404:
      return ErrorKind::not_found;
    case 408:
      return ErrorKind::timeout;
    case 409:
      return ErrorKind::server;  // a conflict on the server's side: worth a retry
    case 429:
      return ErrorKind::rate_limited;
    default:
      break;
  }
  if (status >= 500 && status < 600) return ErrorKind::server;
  if (status >= 400 && status < 500) return ErrorKind::bad_request;
  return std::nullopt;
}

std::string describe(const ErrorInfo& info) {
  std::string text(to_string(info.kind));
  std::string details;
  auto add = [&details](std::string_view part) {
    if (!details.empty()) details += ", ";
    details += part;
  };
  if (!info.provider.empty()) add("provider " + info.provider);
  if (info.http_status != 0) add("HTTP " + std::to_string(info.http_status));
  if (!info.code.empty()) add("code " + info.code);
  if (!info.request_id.empty()) add("request id " + info.request_id);
  if (!info.url.empty()) add("url " + info.url);
  if (!details.empty()) text += " (" + details + ")";
  if (!info.message.empty()) text += ": " + info.message;
  return text;
}

Error::Error(ErrorInfo info, std::string partial_content)
    : std::runtime_error(describe(info)),
      info_(std::move(info)),
      partial_content_(std::move(partial_content)) {}

Error::Error(ErrorKind kind, std::string message)
    : Error(ErrorInfo{.kind = kind, .message = std::move(message)}) {}

}  // namespace llmrt
