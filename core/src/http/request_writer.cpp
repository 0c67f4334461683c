#include "http/request_writer.h"

#include <cassert>
#include <charconv>
#include <cstring>

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

  constexpr std::string_view kCrlf = "\r\n";
  // The head's pieces, in order, handed to `f`: walked once to measure the head and once to copy
  // it into a string of that size, a memcpy per piece where an append per piece checked the
  // room each time (~25 pieces a request). One list for both walks, so they cannot disagree.
  auto each_piece = [&](auto&& f) __attribute__((always_inline)) {
    f(request.method);
    f(" ");
    f(scheme_and_host_prefix);
    f(absolute_host);
    f(endpoint.target);
    f(" HTTP/1.1\r\nHost: ");
    f(host);
    f(kCrlf);
    for (const auto& [name, value] : request.headers) {
      f(name);
      f(": ");
      f(value);
      f(kCrlf);
    }
    if (!proxy_authorization.empty()) {
      f("Proxy-Authorization: ");
      f(proxy_authorization);
      f(kCrlf);
    }
    if (!length.empty()) {
      f("Content-Length: ");
      f(length);
      f(kCrlf);
    }
    f(kCrlf);
  };
  std::size_t head_size = 0;
  each_piece([&head_size](std::string_view piece)
                 __attribute__((always_inline)) { head_size += piece.size(); });

  // The body after the head, in the same allocation.
  std::string out;
  out.reserve(head_size + request.body.size());
  out.resize(head_size);
  char* p = out.data();
  each_piece([&p](std::string_view piece) __attribute__((always_inline)) {
    if (!piece.empty()) std::memcpy(p, piece.data(), piece.size());
    p += piece.size();
  });
  assert(p == out.data() + out.size());
  out += request.body;
  return out;
}

}  // namespace llmrt::core
