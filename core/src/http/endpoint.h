#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace llmrt::core {

// The parts of an absolute http(s) URL that pick a connection, plus the request target.
struct Endpoint {
  bool https = false;
  std::string host;
  std::uint16_t port = 0;
  std::string target;  // path and query, at least "/"

  // The host as a URL or Host header writes it: an IPv6 address in brackets.
  std::string url_host() const { return bracketed(host); }
  static std::string bracketed(const std::string& host) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
  }

  // Connections are pooled per scheme, host and port.
  std::string pool_key() const {
    return (https ? "https://" : "http://") + host + ":" + std::to_string(port);
  }
};

// An endpoint with its pool key, as a call's transport keeps them while the call lives.
struct KeyedEndpoint {
  Endpoint endpoint;
  std::string key;  // endpoint.pool_key()
};

// Throws Error (bad_request) naming the URL when it is not an absolute http(s) URL.
Endpoint parse_endpoint(std::string_view url);
// The same, shared: a thread's calls to the URL it used last share one parse and one key, where
// a copy of each cost a call three allocations.
std::shared_ptr<const KeyedEndpoint> keyed_endpoint(std::string_view url);

}  // namespace llmrt::core
