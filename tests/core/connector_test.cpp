// Every connection llmrt opens sends small writes at once (TCP_NODELAY): with Nagle's algorithm
// a request or a stream's next bytes can wait for the peer's delayed ACK, the 40 ms seen as
// added time to first token.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <gtest/gtest.h>

#include "http/connector.h"

namespace llmrt::core {
namespace {

int no_delay(const Connection& connection) {
  int value = 0;
  socklen_t size = sizeof value;
  getsockopt(connection.plain_socket().impl()->sockfd(), IPPROTO_TCP, TCP_NODELAY, &value, &size);
  return value;
}

TEST(Connector, EveryConnectionIsOpenedWithNoDelay) {
  Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
  const std::string url =
      "http://127.0.0.1:" + std::to_string(listener.address().port()) + "/v1/chat/completions";
  TransportOptions options;
  TlsContext tls(options);
  RequestContext context;
  // Direct, and to a (plain HTTP) proxy: the same socket set-up whichever it reaches.
  for (const bool via_proxy : {false, true}) {
    ConnectionWatch watch(context);
    std::optional<Proxy> proxy;
    if (via_proxy) proxy = parse_proxy(url.substr(0, url.find("/v1")));
    std::unique_ptr<Connection> connection =
        open_connection(parse_endpoint(url), proxy, tls, options, watch, "key");
    EXPECT_NE(no_delay(*connection), 0) << (via_proxy ? "via a proxy" : "direct");
  }
}

}  // namespace
}  // namespace llmrt::core
