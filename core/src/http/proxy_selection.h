#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "http/endpoint.h"

namespace llmrt::core {

using EnvLookup = std::function<const char*(const char*)>;

// The proxy URL for a connection to `endpoint`, or "" for none: the configured proxy when
// there is one; else, when `from_environment`, HTTPS_PROXY (https) or HTTP_PROXY (http), in
// upper or lower case, unless NO_PROXY matches the host. Loopback hosts never go through a
// proxy from the environment: no proxy can reach this machine's loopback. `from`, when given,
// is set to where a proxy came from ("transport.proxy", "$HTTPS_PROXY"), for its errors.
std::string select_proxy(const Endpoint& endpoint, const std::string& configured,
                         bool from_environment, const EnvLookup& env, std::string* from = nullptr);

// NO_PROXY's rule as curl has it: comma-separated names; "*" matches all; a name matches the
// host itself and its subdomains (a leading dot is optional); ports are ignored.
bool no_proxy_matches(std::string_view no_proxy, std::string_view host);

}  // namespace llmrt::core
