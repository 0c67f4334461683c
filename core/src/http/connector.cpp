#include "http/connector.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "http/response_head.h"
#include "http/sigpipe_guard.h"

namespace llmrt::core {
namespace {

std::string authority(const Endpoint& endpoint) {
  return endpoint.url_host() + ":" + std::to_string(endpoint.port);
}

// Asks the proxy for a tunnel to the server (RFC 9110 §9.3.6).
void open_tunnel(Connection& connection, const Endpoint& endpoint, const Proxy& proxy) {
  std::string request =
      "CONNECT " + authority(endpoint) + " HTTP/1.1\r\nHost: " + authority(endpoint) + "\r\n";
  if (!proxy.authorization.empty()) {
    request += "Proxy-Authorization: " + proxy.authorization + "\r\n";
  }
  request += "\r\n";
  (void)connection.write_all(request);  // a proxy's early answer is read as its answer
  ResponseHead head;
  read_response_head(connection, true, head);
  if (head.status / 100 != 2) {
    bool credentials = head.status == 407;
    throw Error(ErrorInfo{.kind = ErrorKind::network,
                          .http_status = head.status,
                          .code = credentials ? "proxy_auth_required" : "proxy_refused",
                          .message = "proxy " + proxy.display + " refused the tunnel to " +
                                     authority(endpoint) + " (HTTP " + std::to_string(head.status) +
                                     ")" + (credentials ? ": it wants other credentials" : "")});
  }
  if (!connection.buffered().empty()) {
    throw Error(ErrorKind::protocol,
                "proxy " + proxy.display + " sent bytes of its own after opening the tunnel");
  }
}

}  // namespace

std::unique_ptr<Connection> open_connection(const Endpoint& endpoint,
                                            const std::optional<Proxy>& proxy, TlsContext& tls,
                                            const TransportOptions& options, ConnectionWatch& watch,
                                            std::string pool_key) {
  const std::string& host = proxy ? proxy->host : endpoint.host;
  std::uint16_t port = proxy ? proxy->port : endpoint.port;
  watch.enter(proxy ? "connecting to proxy " : "connecting to ",
              proxy ? proxy->display : endpoint.pool_key(), options.connect_timeout,
              "the connect timeout");
  watch.check();
  try {
    Poco::Net::SocketAddress address(host, port);
    Poco::Net::StreamSocket plain(address.family());
    watch.watch(plain);
    plain.connect(address, to_timespan(options.connect_timeout));
    plain.setNoDelay(true);
    auto connection = std::make_unique<Connection>(plain, plain, pool_key);
    connection->set_timeouts(options.connect_timeout, options.connect_timeout);
    if (proxy && endpoint.https) {
      watch.rename("waiting for proxy ",
                   proxy->display + " to open a tunnel to " + authority(endpoint));
      open_tunnel(*connection, endpoint, *proxy);
    }
    if (endpoint.https) {
      watch.rename("in the TLS handshake with ", endpoint.pool_key());
      // The handshake, then the certificate chain and host name checks (VERIFY_STRICT).
      SigpipeGuard guard;
      Poco::Net::SecureStreamSocket secure =
          Poco::Net::SecureStreamSocket::attach(plain, endpoint.host, tls.get());
      connection = std::make_unique<Connection>(plain, secure, std::move(pool_key));
    }
    connection->set_timeouts(options.read_timeout, options.read_timeout);
    return connection;
  } catch (const Poco::Exception& e) {
    throw watch.explain(e);
  } catch (const Error& e) {
    throw watch.explain(e);
  }
}

}  // namespace llmrt::core
