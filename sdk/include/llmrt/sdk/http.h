#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "llmrt/sdk/visibility.h"

namespace llmrt {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// Header names compare case-insensitively (RFC 9110 §5.1). Returns the first match, or null.
LLMRT_VISIBLE const std::string* find_header(const HttpHeaders& headers, std::string_view name);

// The request id a provider put in the response headers ("x-request-id", Anthropic's
// "request-id"); empty when none.
LLMRT_VISIBLE std::string request_id_from(const HttpHeaders& headers);

struct HttpRequest {
  std::string method = "POST";
  std::string url{};  // absolute: scheme, host, port, path
  HttpHeaders headers{};
  std::string body{};
  // Not sent: what the plugin dropped or changed to fit the API ("top_k is not an OpenAI
  // parameter: not sent"). The core logs each at warn level and hands it to the caller
  // (WarningEvent, ChatResult::warnings).
  std::vector<std::string> warnings{};
};

// A response as the core received it. For a streamed call that failed, `body` holds the
// (size-capped) error body.
struct HttpResponse {
  int status = 0;
  HttpHeaders headers{};
  std::string body{};
};

}  // namespace llmrt

namespace llmrt {

// The URL of `path` under `api_base`. An api_base that already ends with `path` (lagent
// configurations give the full ".../chat/completions" URL) is used as it is. A query string in
// `api_base` ("…/v1?api-version=2024-10-21") stays at the end of the URL; a fragment ("#…"),
// which is never sent, is dropped.
LLMRT_VISIBLE std::string resolve_endpoint(std::string_view api_base, std::string_view path);

}  // namespace llmrt
