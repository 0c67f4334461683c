#include "http/request_writer.h"

#include <charconv>
#include <cstring>
#include <stdexcept>

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
  // Plain HTTP through a proxy names the whole URL (absolute form); HTTPS goes through a tunnel.
  const bool absolute = proxy && !endpoint.https;
  const std::string_view scheme_and_host_prefix = absolute ? "http://" : "";
  const std::string_view absolute_host = absolute ? std::string_view(host) : std::string_view();
  const std::string_view proxy_authorization =
      absolute ? std::string_view(proxy->authorization) : std::string_view();
  char digits[24];
  std::string_view length;
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
      request.method == "PATCH") {
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, request.body.size());
    length = std::string_view(digits, static_cast<std::size_t>(end - digits));
  }

  constexpr std::string_view kVersionAndHost = " HTTP/1.1\r\nHost: ";
  constexpr std::string_view kColon = ": ";
  constexpr std::string_view kCrlf = "\r\n";
  constexpr std::string_view kProxyAuthorization = "Proxy-Authorization: ";
  constexpr std::string_view kContentLength = "Content-Length: ";
  // The head is measured first, then copied into a string of that size, a memcpy per piece
  // where an append per piece checked the room each time (~25 pieces a request); the body is
  // appended after it, into the same allocation.
  std::size_t head_size = request.method.size() + 1 + scheme_and_host_prefix.size() +
                          absolute_host.size() + endpoint.target.size() + kVersionAndHost.size() +
                          host.size() + kCrlf.size();
  for (const auto& [name, value] : request.headers) {
    head_size += name.size() + kColon.size() + value.size() + kCrlf.size();
  }
  if (!proxy_authorization.empty()) {
    head_size += kProxyAuthorization.size() + proxy_authorization.size() + kCrlf.size();
  }
  if (!length.empty()) head_size += kContentLength.size() + length.size() + kCrlf.size();
  head_size += kCrlf.size();

  std::string out;
  out.reserve(head_size + request.body.size());
  out.resize(head_size);
  char* p = out.data();
  char* const end = p + head_size;
  // Bounded all the same: a piece the measure above left out is not written, and is found below.
  // Always inlined: as a call, each of the ~25 pieces cost more than the append it replaced.
  bool overflow = false;
  auto put = [&p, end, &overflow ](std::string_view piece) __attribute__((always_inline)) {
    if (piece.size() > static_cast<std::size_t>(end - p)) {
      overflow = true;
      return;
    }
    if (!piece.empty()) std::memcpy(p, piece.data(), piece.size());
    p += piece.size();
  };
  put(request.method);
  put(" ");
  put(scheme_and_host_prefix);
  put(absolute_host);
  put(endpoint.target);
  put(kVersionAndHost);
  put(host);
  put(kCrlf);
  for (const auto& [name, value] : request.headers) {
    put(name);
    put(kColon);
    put(value);
    put(kCrlf);
  }
  if (!proxy_authorization.empty()) {
    put(kProxyAuthorization);
    put(proxy_authorization);
    put(kCrlf);
  }
  if (!length.empty()) {
    put(kContentLength);
    put(length);
    put(kCrlf);
  }
  put(kCrlf);
  if (overflow || p != end)
    throw std::logic_error("write_request: the head's measure and its pieces differ");
  out += request.body;
  return out;
}

}  // namespace llmrt::core
