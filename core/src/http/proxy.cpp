#include "http/proxy.h"

#include <arpa/inet.h>

#include <Poco/Base64Encoder.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

#include "diagnostics/redactor.h"
#include "http/endpoint.h"
#include "http/field_text.h"
#include "llmrt/core/proxy_url.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

std::string base64(const std::string& text) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << text;
  encoder.close();
  return out.str();
}

// A name or an address a lookup can take: a space, a control byte, a quote or a
// percent-encoded name is a mistyped proxy, refused when the model is made rather than looked
// up on every call (as "Host not found", a network error that would be retried). An IPv6
// address is taken without brackets too, as it was before; anything else with a colon is not.
bool usable_host(const std::string& host, bool bracketed) {
  in6_addr address{};
  if (bracketed || host.find(':') != std::string::npos) {
    // A zone ("fe80::1%25eth0") after the address.
    const std::string bare = host.substr(0, host.find('%'));
    return ::inet_pton(AF_INET6, bare.c_str(), &address) == 1;
  }
  return std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '.' || c == '_' || c == '~';
  });
}

// A scheme as RFC 3986 spells one: a letter, then letters, digits, '+', '-', '.'.
bool is_scheme(std::string_view text) {
  return !text.empty() && std::isalpha(static_cast<unsigned char>(text.front())) != 0 &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' ||
                  c == '.';
         });
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

Proxy parse_proxy(const std::string& url) {
  // With a user part anywhere, no piece of the URL is shown in an error: a password with an
  // unencoded '/', '?', '#' or "://" would be split where a host, a port or a scheme is looked
  // for, and shown as one.
  const bool has_user = url.find('@') != std::string::npos;
  auto refuse = [&](const std::string& what, std::string_view text = {},
                    const std::string& hint = "") {
    std::string message = "proxy URL " + what;
    if (!text.empty())
      message += has_user ? " (not shown: the URL has a user part)" : " " + in_quotes(text);
    throw Error(ErrorKind::bad_request, message + hint);
  };
  std::string_view rest = url;
  if (std::size_t scheme = rest.find("://"); scheme != std::string_view::npos) {
    const std::string_view name = rest.substr(0, scheme);
    if (!is_scheme(name)) {
      refuse("has a user part with '/', '?', '#' or \"://\" in it, or no scheme before its \"://\"",
             {}, has_user ? " (write '/' as %2F, '?' as %3F, '#' as %23)" : "");
    }
    if (!equals_ignoring_case(name, "http")) {
      refuse("scheme", name,
             " is not supported (only http:// proxies; HTTPS to the server goes through them "
             "with CONNECT)");
    }
    rest.remove_prefix(scheme + 3);
  }
  rest = rest.substr(0, rest.find_first_of("/?#"));
  Proxy proxy;
  if (std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    proxy.authorization = "Basic " + basic_credentials(rest.substr(0, at));
    rest.remove_prefix(at + 1);
  } else if (has_user) {
    // The '@' is past a '/', '?' or '#': they ended the host's part early.
    refuse("has a user part with '/', '?' or '#' in it", {},
           " (write '/' as %2F, '?' as %3F, '#' as %23)");
  }
  std::string_view port_text;
  const bool bracketed = !rest.empty() && rest.front() == '[';
  if (bracketed) {  // [IPv6]:port
    std::size_t close = rest.find(']');
    if (close == std::string_view::npos) refuse("has an unclosed '[' in its host");
    proxy.host = std::string(rest.substr(1, close - 1));
    std::string_view after = rest.substr(close + 1);
    if (!after.empty() && after.front() == ':') port_text = after.substr(1);
  } else {
    std::size_t colon = rest.rfind(':');
    proxy.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
  }
  if (proxy.host.empty()) refuse("has no host");
  if (!usable_host(proxy.host, bracketed)) {
    refuse("has a bad host", proxy.host, " (a name or an address, as in http://proxy:3128)");
  }
  proxy.port = 80;
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      refuse("has a bad port", port_text, " (1 to 65535)");
    }
    proxy.port = static_cast<std::uint16_t>(port);
  }
  proxy.display = "http://" + Endpoint::bracketed(proxy.host) + ":" + std::to_string(proxy.port);
  return proxy;
}

std::string basic_credentials(std::string_view userinfo) {
  const std::size_t colon = userinfo.find(':');
  const std::string user = percent_decoded(userinfo.substr(0, colon));
  const std::string password =
      colon == std::string_view::npos ? std::string() : percent_decoded(userinfo.substr(colon + 1));
  return base64(user + ":" + password);
}

void check_proxy_url(std::string_view url, std::string_view where) {
  if (url.empty()) return;
  try {
    (void)parse_proxy(std::string(url));
  } catch (const Error& e) {
    throw Error(ErrorKind::bad_request, std::string(where) + ": " + e.info().message);
  }
}

}  // namespace llmrt::core
