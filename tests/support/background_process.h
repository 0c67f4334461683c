#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace llmrt::test {

// A program started by a test (tinyproxy, an llmrt run to be killed) and stopped when this goes
// out of scope.
class BackgroundProcess {
 public:
  explicit BackgroundProcess(const std::vector<std::string>& argv);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  // Sends `signal` and waits for the process to end.
  void stop(int signal);

 private:
  pid_t pid_ = -1;
};

// A TCP port on 127.0.0.1 that was free a moment ago, below the ephemeral range.
int free_loopback_port();
// Waits until something accepts connections on 127.0.0.1:port (5 s at most).
bool wait_for_port(int port);

// A CA and a server certificate it signed for DNS name "localhost", made with the openssl
// command in `dir`.
struct TestCertificates {
  std::string ca;
  std::string certificate;
  std::string private_key;
};
TestCertificates make_test_certificates(const std::string& dir);

}  // namespace llmrt::test
