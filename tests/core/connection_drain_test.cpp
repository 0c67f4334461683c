// A pooled connection on a batch's loop is taken for emptied only when the kernel says nothing
// is left in the socket (TCP_INQ), not when a read came back short: a hostile peer can make a
// receive stop early with bytes behind it and no edge to come — an urgent pointer whose byte
// sits in a segment that arrived out of order first stays "not yet" for good, so epoll never
// reports urgent data, and yet every receive stops at its mark. The segments are written with a
// raw socket (root only; skipped elsewhere).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <cstring>
#include <string>
#include <string_view>

#include "async/fiber_loop.h"
#include "http/connection.h"

namespace llmrt::core {
namespace {

// A peer's segments, forged: what a hostile server's kernel could send.
class Forger {
 public:
  Forger() : raw_(::socket(AF_INET, SOCK_RAW, IPPROTO_TCP)) {
    timeval two_seconds{.tv_sec = 2, .tv_usec = 0};
    if (raw_ >= 0) ::setsockopt(raw_, SOL_SOCKET, SO_RCVTIMEO, &two_seconds, sizeof two_seconds);
  }
  ~Forger() {
    if (raw_ >= 0) ::close(raw_);
  }
  bool ok() const { return raw_ >= 0; }

  // Watches the handshake between the two ports for their first sequence numbers.
  bool learn(std::uint16_t client_port, std::uint16_t server_port) {
    client_port_ = client_port;
    server_port_ = server_port;
    bool client = false;
    bool server = false;
    unsigned char packet[2048];
    while (!(client && server)) {
      const ssize_t n = ::recv(raw_, packet, sizeof packet, 0);
      if (n <= 0) return false;
      const auto* ip = reinterpret_cast<const iphdr*>(packet);
      const auto* tcp = reinterpret_cast<const tcphdr*>(packet + ip->ihl * 4);
      if (n < ip->ihl * 4 + 20 || !tcp->syn) continue;
      if (!tcp->ack && ntohs(tcp->source) == client_port) {
        client_next_ = ntohl(tcp->seq) + 1;
        client = true;
      } else if (tcp->ack && ntohs(tcp->source) == server_port) {
        server_next_ = ntohl(tcp->seq) + 1;
        server = true;
      }
    }
    return true;
  }

  // A segment from the server at `offset` bytes into its stream.
  void send(std::uint32_t offset, std::string_view data, std::uint16_t urgent_pointer = 0) {
    unsigned char segment[1500]{};
    auto* tcp = reinterpret_cast<tcphdr*>(segment);
    tcp->source = htons(server_port_);
    tcp->dest = htons(client_port_);
    tcp->seq = htonl(server_next_ + offset);
    tcp->ack_seq = htonl(client_next_);
    tcp->doff = 5;
    tcp->ack = 1;
    tcp->psh = 1;
    tcp->urg = urgent_pointer != 0;
    tcp->urg_ptr = htons(urgent_pointer);
    tcp->window = htons(65000);
    std::memcpy(segment + 20, data.data(), data.size());
    const auto length = static_cast<std::uint16_t>(20 + data.size());
    // The checksum over the pseudo header and the segment.
    std::uint32_t sum = 0;
    const std::uint32_t loopback = htonl(INADDR_LOOPBACK);
    auto add16 = [&](const unsigned char* p, std::size_t n) {
      for (std::size_t i = 0; i + 1 < n; i += 2)
        sum += static_cast<std::uint32_t>(p[i] << 8 | p[i + 1]);
      if (n % 2 != 0) sum += static_cast<std::uint32_t>(p[n - 1] << 8);
    };
    add16(reinterpret_cast<const unsigned char*>(&loopback), 4);
    add16(reinterpret_cast<const unsigned char*>(&loopback), 4);
    sum += IPPROTO_TCP + length;
    add16(segment, length);
    while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
    tcp->check = htons(static_cast<std::uint16_t>(~sum));
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = loopback;
    ::sendto(raw_, segment, length, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  }

 private:
  int raw_;
  std::uint16_t client_port_ = 0;
  std::uint16_t server_port_ = 0;
  std::uint32_t client_next_ = 0;
  std::uint32_t server_next_ = 0;
};

TEST(ConnectionOnALoop, AReadStoppedAtAnUrgentMarkIsNotTakenForEmptied) {
  Forger forger;
  if (!forger.ok()) GTEST_SKIP() << "no raw socket here (root only)";
  Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
  Poco::Net::StreamSocket socket;
  socket.connect(listener.address());
  Poco::Net::StreamSocket server = listener.acceptConnection();
  ASSERT_TRUE(forger.learn(socket.address().port(), listener.address().port()));
  Connection connection(socket, socket, "test");
  connection.set_timeouts(std::chrono::seconds(5), std::chrono::seconds(5));  // no hang if lost

  std::string answer;
  bool clean = true;
  FiberLoop loop;
  loop.spawn([&] {
    ASSERT_TRUE(connection.fill());  // waits in the loop: the socket is registered with it
    answer.assign(connection.buffered());
    connection.consume(answer.size());
    connection.mark_idle();
    clean = connection.idle_and_clean();
  });
  loop.spawn([&] {
    // The urgent byte and a stray reply first, out of order and without URG; then the answer,
    // in order, its urgent pointer aimed at the byte already queued.
    forger.send(10, "!HTTP/1.1 200 OK stray");
    forger.send(0, "answer1234", 11);
  });
  loop.run();
  EXPECT_EQ(answer, "answer1234") << "the receive stops at the urgent mark";
  EXPECT_FALSE(clean) << "a stray reply waits behind the mark";
}

}  // namespace
}  // namespace llmrt::core
