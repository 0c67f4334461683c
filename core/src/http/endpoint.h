#pragma once

#include <cstdint>
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

// Throws Error (bad_request) naming the URL when it is not an absolute http(s) URL.
Endpoint parse_endpoint(std::string_view url);

}  // namespace llmrt::core
