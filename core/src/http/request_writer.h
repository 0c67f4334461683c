#pragma once

#include <optional>
#include <string>

#include "http/endpoint.h"
#include "http/proxy.h"
#include "llmrt/sdk/http.h"

namespace llmrt::core {

// The bytes of an HTTP/1.1 request: request line, Host, the request's own header fields,
// Content-Length, and the body. Through a proxy without a tunnel (plain http://), the target is
// in absolute form and the proxy's credentials go along (RFC 9112 §3.2.2).
std::string write_request(const HttpRequest& request, const Endpoint& endpoint,
                          const std::optional<Proxy>& proxy);

}  // namespace llmrt::core
