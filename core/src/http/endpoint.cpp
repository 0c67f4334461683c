#include "http/endpoint.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "llmrt/sdk/error.h"

namespace llmrt::core {

namespace {

Endpoint parse_uncached(std::string_view url) {
  Poco::URI uri;
  try {
    uri = Poco::URI(std::string(url));
  } catch (const Poco::Exception& e) {
    throw Error(ErrorKind::bad_request, "invalid URL '" + std::string(url) + "': " + e.message());
  }
  Endpoint ep;
  if (uri.getScheme() == "https") {
    ep.https = true;
  } else if (uri.getScheme() != "http") {
    throw Error(ErrorKind::bad_request,
                "URL '" + std::string(url) + "' must start with http:// or https://");
  }
  if (uri.getHost().empty()) {
    throw Error(ErrorKind::bad_request, "URL '" + std::string(url) + "' has no host");
  }
  ep.host = uri.getHost();
  ep.port = uri.getPort();
  // A fragment is the client's own (RFC 9112 §3.2): it never goes into the request line.
  ep.target = uri.getPathAndQuery();
  // push_back, not `= "/"`: GCC 12 at -O3 reports a false -Wrestrict for assigning a short
  // literal to a std::string (GCC bug 105329).
  if (ep.target.empty()) ep.target.push_back('/');
  return ep;
}

// The URL a thread parsed last, and its parts: a model's calls go to one URL, and Poco's parse
// (a dozen allocations, percent-decoding) was a few % of a request's client CPU.
struct LastParsed {
  std::string url;
  std::shared_ptr<const KeyedEndpoint> endpoint;
};

}  // namespace

std::shared_ptr<const KeyedEndpoint> keyed_endpoint(std::string_view url) {
  thread_local LastParsed last;
  if (last.endpoint && last.url == url) return last.endpoint;
  Endpoint endpoint = parse_uncached(url);  // a bad URL throws, and is not kept
  std::string key = endpoint.pool_key();
  auto keyed = std::make_shared<const KeyedEndpoint>(
      KeyedEndpoint{.endpoint = std::move(endpoint), .key = std::move(key)});
  last.url.assign(url);
  last.endpoint = keyed;
  return keyed;
}

Endpoint parse_endpoint(std::string_view url) { return keyed_endpoint(url)->endpoint; }

}  // namespace llmrt::core
