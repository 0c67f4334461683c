#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace llmrt::mock {

// A TCP server on 127.0.0.1 (ephemeral port) that accepts connections and never says a word:
// a TLS server that never answers the handshake, a proxy that never answers CONNECT, a host
// that never sends a status line. It holds every connection until stopped (destructor).
class SilentServer {
 public:
  SilentServer();
  ~SilentServer();
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;

  std::uint16_t port() const noexcept;
  // "127.0.0.1:PORT"
  std::string address() const;
  // Connections accepted so far.
  int accepted() const noexcept;

  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmrt::mock
