#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace llmrt::core {

// An HTTP proxy as given in a setting or the environment.
struct Proxy {
  std::string host;
  std::uint16_t port = 0;
  std::string authorization;  // the Proxy-Authorization value ("Basic …"), or empty
  std::string display;        // "http://host:port": the URL without its credentials
};

// Reads `http://[user[:password]@]host[:port]`, or `host:port` with no scheme (as curl does,
// taken as http://). Throws Error bad_request naming what is wrong; the message never shows
// the credentials.
Proxy parse_proxy(const std::string& url);

// The Basic credentials a proxy URL's user part ("user:pass%40word") is sent as, base64 of its
// decoded user and password: what a proxy that echoes them shows, for the redactor to mask.
std::string basic_credentials(std::string_view userinfo);

}  // namespace llmrt::core
