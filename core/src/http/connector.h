#pragma once

#include <memory>
#include <optional>

#include "http/connection.h"
#include "http/connection_watch.h"
#include "http/endpoint.h"
#include "http/proxy.h"
#include "http/tls_context.h"

namespace llmrt::core {

// Opens a new connection to `endpoint`: TCP (to the proxy when there is one), the proxy's
// CONNECT tunnel for HTTPS, then the TLS handshake with certificate and host name checks. The
// whole of it is one phase bounded by the connect timeout (and the call's deadline), each step
// named in errors; `watch` can interrupt any step.
std::unique_ptr<Connection> open_connection(const Endpoint& endpoint,
                                            const std::optional<Proxy>& proxy, TlsContext& tls,
                                            const TransportOptions& options, ConnectionWatch& watch,
                                            std::string pool_key);

}  // namespace llmrt::core
