#include "http/request_writer.h"

#include <charconv>

namespace llmrt::core {

std::string write_request(const HttpRequest& request, const Endpoint& endpoint,
                          const std::optional<Proxy>& proxy) {
  std::string host = endpoint.url_host();
  if (endpoint.port != (endpoint.https ? 443 : 80)) {
    // Two appends, not `":" + std::to_string(…)`: GCC 12 at -O3 reports a false -Wrestrict
    // for a literal prepended to a temporary string (GCC bug 105651).
    host += ':';
    host += std::to_string(endpoint.port);
  }
  bool absolute = proxy && !endpoint.https;

  std::string out;
  out.reserve(256 + request.body.size());
  out += request.method;
  out += ' ';
  if (absolute) out += (endpoint.https ? "https://" : "http://") + host;
  out += endpoint.target;
  out += " HTTP/1.1\r\nHost: ";
  out += host;
  out += "\r\n";
  for (const auto& [name, value] : request.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (absolute && !proxy->authorization.empty()) {
    out += "Proxy-Authorization: " + proxy->authorization + "\r\n";
  }
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
      request.method == "PATCH") {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, request.body.size());
    out += "Content-Length: ";
    out.append(digits, end);
    out += "\r\n";
  }
  out += "\r\n";
  out += request.body;
  return out;
}

}  // namespace llmrt::core
