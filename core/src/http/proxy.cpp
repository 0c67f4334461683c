#include "http/proxy.h"

#include <Poco/Base64Encoder.h>

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

// A name or an address a lookup can take: a space, a control byte or a quote is a mistyped
// proxy, refused when the model is made rather than looked up on every call (as "Host not
// found", a network error that would be retried). A colon is let through unbracketed too: an
// IPv6 address without brackets was taken before.
bool usable_host(std::string_view host) {
  for (char c : host) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && c != '-' && c != '.' && c != '_' && c != '~' && c != '%' && c != ':') {
      return false;
    }
  }
  return true;
}

// The host or port text for an error, unless the URL has an '@' anywhere: then a password with
// a '/', '?' or '#' in it (which ends the authority early) may be what would be shown.
std::string shown(std::string_view url, std::string_view text) {
  return url.find('@') == std::string_view::npos
             ? " " + in_quotes(text)
             : " (not shown: the URL has a user part; a '/', '?' or '#' in it must be written "
               "%2F, %3F, %23)";
}

}  // namespace

Proxy parse_proxy(const std::string& url) {
  std::string_view rest = url;
  if (std::size_t scheme = rest.find("://"); scheme != std::string_view::npos) {
    if (rest.substr(0, scheme) != "http") {
      throw Error(ErrorKind::bad_request,
                  "proxy URL scheme '" + std::string(rest.substr(0, scheme)) +
                      "' is not supported (only http:// proxies; HTTPS to the server goes "
                      "through them with CONNECT)");
    }
    rest.remove_prefix(scheme + 3);
  }
  rest = rest.substr(0, rest.find_first_of("/?#"));
  Proxy proxy;
  if (std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view info = rest.substr(0, at);
    rest.remove_prefix(at + 1);
    std::size_t colon = info.find(':');
    std::string user = percent_decoded(info.substr(0, colon));
    std::string password =
        colon == std::string_view::npos ? std::string() : percent_decoded(info.substr(colon + 1));
    proxy.authorization = "Basic " + base64(user + ":" + password);
  }
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {  // [IPv6]:port
    std::size_t close = rest.find(']');
    if (close == std::string_view::npos) {
      throw Error(ErrorKind::bad_request, "proxy URL has an unclosed '[' in its host");
    }
    proxy.host = std::string(rest.substr(1, close - 1));
    std::string_view after = rest.substr(close + 1);
    if (!after.empty() && after.front() == ':') port_text = after.substr(1);
  } else {
    std::size_t colon = rest.rfind(':');
    proxy.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
  }
  if (proxy.host.empty()) throw Error(ErrorKind::bad_request, "proxy URL has no host");
  if (!usable_host(proxy.host)) {
    throw Error(ErrorKind::bad_request, "proxy URL has a bad host" + shown(url, proxy.host) +
                                            " (a name or an address, as in http://proxy:3128)");
  }
  proxy.port = 80;
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      throw Error(ErrorKind::bad_request,
                  "proxy URL has a bad port" + shown(url, port_text) + " (1 to 65535)");
    }
    proxy.port = static_cast<std::uint16_t>(port);
  }
  proxy.display = "http://" + Endpoint::bracketed(proxy.host) + ":" + std::to_string(proxy.port);
  return proxy;
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
