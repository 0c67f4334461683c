#include "support/background_process.h"

#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>

#include "support/run_process.h"

extern char** environ;

namespace llmrt::test {

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  if (posix_spawnp(&pid_, args[0], nullptr, nullptr, args.data(), environ) != 0) {
    throw std::runtime_error("cannot start " + argv[0]);
  }
}

BackgroundProcess::~BackgroundProcess() { stop(SIGTERM); }

void BackgroundProcess::stop(int signal) {
  if (pid_ <= 0) return;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

namespace {

// The first port the kernel hands out for port 0 and for outgoing connections.
int first_ephemeral_port() {
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0;
  return range >> low && low > 2048 ? low : 32768;
}

bool bindable(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  if (fd >= 0) close(fd);
  return ok;
}

}  // namespace

// Below the ephemeral range: a port the kernel gives to another test's server or client
// connection between this check and the caller's bind would make the caller's test fail for
// nothing, and under load (thousands of connections a second in the batch tests) it does.
int free_loopback_port() {
  const int high = first_ephemeral_port();
  const int low = high > 12000 ? 10000 : 1024;
  std::mt19937 pick(std::random_device{}() ^ static_cast<unsigned>(getpid()));
  std::uniform_int_distribution<int> port(low, high - 1);
  for (int tries = 0; tries < 200; ++tries) {
    const int candidate = port(pick);
    if (bindable(candidate)) return candidate;
  }
  throw std::runtime_error("no free loopback port below " + std::to_string(high));
}

bool wait_for_port(int port) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    bool up = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    if (up) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

TestCertificates make_test_certificates(const std::string& dir) {
  TestCertificates c{dir + "/ca.pem", dir + "/server.pem", dir + "/server.key"};
  const std::string ca_key = dir + "/ca.key";
  auto run = [](const std::vector<std::string>& argv) {
    ProcessResult r = run_process(argv);
    if (r.exit_code != 0) throw std::runtime_error("openssl failed: " + r.err);
  };
  const std::vector<std::string> ec_key{
      "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"};
  std::vector<std::string> ca{
      "/usr/bin/openssl", "req", "-x509", "-keyout", ca_key, "-out", c.ca, "-subj",
      "/CN=llmrt test CA"};
  ca.insert(ca.end(), ec_key.begin(), ec_key.end());
  run(ca);
  std::vector<std::string> leaf{"/usr/bin/openssl",
                                "req",
                                "-x509",
                                "-CA",
                                c.ca,
                                "-CAkey",
                                ca_key,
                                "-keyout",
                                c.private_key,
                                "-out",
                                c.certificate,
                                "-subj",
                                "/CN=localhost",
                                "-addext",
                                "subjectAltName=DNS:localhost",
                                "-addext",
                                "basicConstraints=critical,CA:FALSE"};
  leaf.insert(leaf.end(), ec_key.begin(), ec_key.end());
  run(leaf);
  return c;
}

}  // namespace llmrt::test
