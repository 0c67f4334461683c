// `llmrt mock-server` as a user meets it: a port already taken, a wrong --api-base, --help.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "llmrt/mock/mock_server.h"
#include "llmrt/mock/scenario.h"
#include "support/background_process.h"
#include "support/cli_args.h"
#include "support/connection_server.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

using test::run_process;

// The mock server run for at most a few seconds (it serves until interrupted when it starts).
std::vector<std::string> mock_server_argv(int port) {
  return {"/usr/bin/timeout", "5", LLMRT_TEST_CLI, "mock-server", "--port", std::to_string(port)};
}

// A plain listening socket on 127.0.0.1, as another program would hold the port.
class HeldPort {
 public:
  HeldPort() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(fd_, 4) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("cannot hold a loopback port");
    }
    port_ = ntohs(addr.sin_port);
  }
  ~HeldPort() { close(fd_); }
  HeldPort(const HeldPort&) = delete;
  HeldPort& operator=(const HeldPort&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(MockServerCli, RefusesAPortAnotherMockServerListensOn) {
  mock::MockServer first;
  auto r = run_process(mock_server_argv(first.port()));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.out.find("listening"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("port " + std::to_string(first.port()) + " on 127.0.0.1 is already in use"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--port 0"), std::string::npos) << r.err;
}

TEST(MockServerCli, RefusesAPortAnotherProgramHolds) {
  HeldPort held;
  auto r = run_process(mock_server_argv(held.port()));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("port " + std::to_string(held.port()) + " on 127.0.0.1 is already in use"),
            std::string::npos)
      << r.err;
}

// A client connection to 127.0.0.1:port, open until destroyed.
class OpenConnection {
 public:
  explicit OpenConnection(std::uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::runtime_error("cannot connect");
    }
  }
  ~OpenConnection() { close(fd_); }
  OpenConnection(const OpenConnection&) = delete;
  OpenConnection& operator=(const OpenConnection&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

TEST(MockServerLibrary, ThrowsOnAPortInUseAndRestartsAtOnceOnAFreedOne) {
  // A port outside the kernel's ephemeral range, which no other test's server or connection
  // takes in the moment between the two servers.
  const auto port = static_cast<std::uint16_t>(test::free_loopback_port());
  {
    mock::MockServer first({.port = port});
    EXPECT_THROW(mock::MockServer({.port = port}), mock::PortInUse);
    auto r = run_process(test::chat_argv(LLMRT_TEST_CLI, first.base_url(), {"hi"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // The server closes this connection first when it stops: the port's end of it stays in
    // TIME_WAIT, which must not keep the next server off the port.
    OpenConnection idle(port);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    first.stop();
  }
  mock::MockServer again({.port = port});
  auto r = run_process(test::chat_argv(LLMRT_TEST_CLI, again.base_url(), {"hi"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// The port at either end of a TCP socket; 0 when `fd` is no IPv4 socket.
std::uint16_t port_of(int fd, bool peer) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  const int got = peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len)
                       : getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return got == 0 && addr.sin_family == AF_INET ? ntohs(addr.sin_port) : 0;
}

// The server's end of `client`, found among this process's descriptors (the mock server runs
// in it); -1 when it has not been accepted yet.
int accepted_end(const OpenConnection& client, std::uint16_t server_port) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    const int fd = std::stoi(entry.path().filename().string());
    if (port_of(fd, false) == server_port && port_of(fd, true) == port_of(client.fd(), false)) {
      return fd;
    }
  }
  return -1;
}

// A reply's head and its first events are written one after the other: without TCP_NODELAY
// on the server's end, the second write waits for the client's delayed ACK (40 ms of time to
// first token in every streaming benchmark).
TEST(MockServerLibrary, EveryConnectionItAcceptsSendsAtOnce) {
  mock::MockServer server;
  OpenConnection client(server.port());
  // Poco's acceptor sets the option just after accept() and before it hands the connection on;
  // an answer on the connection means that moment has passed (a slow run under a sanitizer
  // read the option in between).
  const std::string request = "GET /no-such-route HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  test::send_all(client.fd(), request);
  const timeval five_seconds{.tv_sec = 5, .tv_usec = 0};  // a server that never answers fails
  ASSERT_EQ(setsockopt(client.fd(), SOL_SOCKET, SO_RCVTIMEO, &five_seconds, sizeof five_seconds),
            0);
  char first_byte = 0;
  ASSERT_EQ(recv(client.fd(), &first_byte, 1, 0), 1) << "the server did not answer";
  int fd = -1;
  for (int i = 0; i < 500 && (fd = accepted_end(client, server.port())) < 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_GE(fd, 0) << "the server did not accept the connection";
  int no_delay = 0;
  socklen_t size = sizeof no_delay;
  ASSERT_EQ(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &no_delay, &size), 0);
  EXPECT_NE(no_delay, 0);
}

TEST(MockServerLibrary, AnIpv6HostIsBracketedInTheBaseUrl) {
  std::unique_ptr<mock::MockServer> server;
  try {
    server = std::make_unique<mock::MockServer>(mock::MockServer::Options{.host = "::1"});
  } catch (const std::runtime_error& e) {
    GTEST_SKIP() << "no IPv6 loopback here: " << e.what();
  }
  EXPECT_EQ(server->base_url(), "http://[::1]:" + std::to_string(server->port()));
  auto r = run_process(test::chat_argv(LLMRT_TEST_CLI, server->base_url(), {"hi"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(MockServerCli, NegativeChunksAreAUsageError) {
  auto r = run_process(
      {"/usr/bin/timeout", "5", LLMRT_TEST_CLI, "mock-server", "--port", "0", "--chunks", "-5"});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("--chunks"), std::string::npos) << r.err;
}

class MockPaths : public ::testing::Test {
 protected:
  test::ProcessResult chat(const std::string& provider, const std::string& api_base) {
    return run_process({LLMRT_TEST_CLI, "chat", "--provider", provider, "--model", "m",
                        "--api-base", api_base, "--key", "k", "--retry", "0", "hi"});
  }
  mock::MockServer server_;
};

TEST_F(MockPaths, AnApiBaseWithoutV1IsNotFoundAndTheErrorListsThePaths) {
  auto r = chat("openai", server_.base_url());
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("not_found"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("HTTP 404"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no mock route for POST /chat/completions"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/v1/chat/completions"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/api/v1/services/aigc/text-generation/generation"), std::string::npos)
      << r.err;
  EXPECT_EQ(server_.last_request().uri, "/chat/completions");
}

TEST_F(MockPaths, WrongPrefixesAreNotFoundForEveryProvider) {
  for (const auto& [provider, base] :
       std::vector<std::pair<std::string, std::string>>{{"openai", "/openai/v1"},
                                                        {"openai", "/v2"},
                                                        {"qwen", "/v1"},
                                                        {"qwen", ""},
                                                        {"internlm", "/api/v2"}}) {
    auto r = chat(provider, server_.base_url() + base);
    EXPECT_EQ(r.exit_code, 1) << provider << base << r.out;
    EXPECT_NE(r.err.find("HTTP 404"), std::string::npos) << provider << base << r.err;
  }
}

TEST_F(MockPaths, EveryPathThePluginsUseIsServed) {
  for (const auto& [provider, base] :
       std::vector<std::pair<std::string, std::string>>{{"openai", "/v1"},
                                                        {"openai", "/v1/"},
                                                        {"openai", "/v1/chat/completions"},
                                                        {"openai", "/v1?api-version=2024-10-21"},
                                                        {"openai", "/compatible-mode/v1"},
                                                        {"qwen", "/api/v1"},
                                                        {"qwen", "/compatible-mode/v1"},
                                                        {"internlm", "/puyu/api/v1"},
                                                        {"internlm", "/api/v1"}}) {
    auto r = chat(provider, server_.base_url() + base);
    EXPECT_EQ(r.exit_code, 0) << provider << base << r.err;
    EXPECT_EQ(r.out, mock::Scenario{}.full_content() + "\n") << provider << base;
  }
}

TEST_F(MockPaths, AGetIsRefusedWithTheMethodToUse) {
  auto r = run_process({"/usr/bin/curl", "-s", "-i", server_.base_url() + "/v1/chat/completions"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("HTTP/1.1 405", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("Allow: POST"), std::string::npos) << r.out;
}

std::string readme() {
  std::ifstream in(std::string(LLMRT_TEST_DATA_DIR) + "/../../README.md");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(MockOverrides, HelpAndReadmeListEveryOverrideAndPathTheServerKnows) {
  auto r = run_process({LLMRT_TEST_CLI, "mock-server", "--help"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string doc = readme();
  ASSERT_FALSE(doc.empty());
  ASSERT_GE(mock::override_docs().size(), 30u);
  for (const mock::OverrideDoc& o : mock::override_docs()) {
    EXPECT_FALSE(o.meaning.empty()) << o.name;
    EXPECT_NE(r.out.find("  " + std::string(o.name) + " "), std::string::npos)
        << o.name << " is not in mock-server --help:\n"
        << r.out;
    EXPECT_NE(doc.find("`" + std::string(o.name) + "`"), std::string::npos)
        << o.name << " is not in README.md";
  }
  for (const mock::MockRoute& route : mock::mock_routes()) {
    EXPECT_NE(r.out.find("  " + std::string(route.path) + "  "), std::string::npos) << route.path;
    EXPECT_NE(doc.find("`" + std::string(route.path) + "`"), std::string::npos) << route.path;
  }
  // And how to pass them.
  EXPECT_NE(r.out.find("--param mock="), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--overrides"), std::string::npos) << r.out;
}

TEST(MockOverrides, AnUnknownOverrideIsRefusedByName) {
  mock::MockServer server;
  auto r = run_process(test::chat_argv(LLMRT_TEST_CLI, server.base_url(),
                                       {"--param", R"(mock={"stal_ms":5})", "hi"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("HTTP 400"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("mock.stal_ms is not a mock override"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("stall_ms"), std::string::npos) << r.err;
}

TEST(MockOverrides, TheServerAppliesOverridesGivenOnItsCommandLine) {
  // The internlm plugin sends no parameter Puyu does not document: its users set faults here.
  int port = test::free_loopback_port();
  test::BackgroundProcess server({LLMRT_TEST_CLI, "mock-server", "--port", std::to_string(port),
                                  "--overrides", R"({"status":429,"error_code":"busy"})"});
  ASSERT_TRUE(test::wait_for_port(port));
  auto r = run_process({LLMRT_TEST_CLI, "chat", "--provider", "internlm", "--model", "m",
                        "--api-base", "http://127.0.0.1:" + std::to_string(port) + "/puyu/api/v1",
                        "--key", "k", "--retry", "0", "hi"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.err.find("rate_limited"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("HTTP 429"), std::string::npos) << r.err;
}

TEST(MockOverrides, BadOverridesOnTheCommandLineAreAUsageError) {
  for (const auto& [overrides, expected] : std::vector<std::pair<std::string, std::string>>{
           {R"({"status":"429"})", "--overrides: mock.status must be an integer"},
           {R"({"stal_ms":5})", "--overrides: mock.stal_ms is not a mock override"},
           {"{status:429}",
            "--overrides: mock is not valid JSON: Missing a name for object "
            "member. (at byte 1)"},
           {"[429]", "--overrides: mock must be a JSON object"}}) {
    auto r = run_process({"/usr/bin/timeout", "5", LLMRT_TEST_CLI, "mock-server", "--port", "0",
                          "--overrides", overrides});
    EXPECT_EQ(r.exit_code, 2) << overrides << r.out;
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("listening"), std::string::npos) << r.out;
  }
}

}  // namespace
}  // namespace llmrt
