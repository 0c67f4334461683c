#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace llmrt::test {

// An HTTP server on 127.0.0.1 (ephemeral port) that answers every request with the same
// status line, headers and body written as given: `pieces` are sent as chunks of a chunked
// body, one write each, so a test controls exactly how the bytes arrive. It closes each
// connection after its reply. For replies the mock server cannot give (a content type it
// never sends).
class RawHttpServer {
 public:
  RawHttpServer(std::string head, std::vector<std::string> pieces);
  ~RawHttpServer();
  RawHttpServer(const RawHttpServer&) = delete;
  RawHttpServer& operator=(const RawHttpServer&) = delete;

  // "http://127.0.0.1:PORT"
  std::string base_url() const;
  // The raw requests received so far (head and body).
  std::vector<std::string> requests() const;

 private:
  void serve();
  void answer(int client);

  std::string head_;  // status line and headers, each ending in CRLF, without the blank line
  std::vector<std::string> pieces_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace llmrt::test
