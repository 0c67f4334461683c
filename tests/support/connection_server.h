#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace llmrt::test {

// A server on 127.0.0.1 (ephemeral port) that runs `serve(client)` on a thread of its own for
// each connection it accepts, and on destruction shuts every connection and joins the threads:
// the start of a raw test server that scripts what each connection gets, request by request.
class ConnectionServer {
 public:
  explicit ConnectionServer(std::function<void(int client)> serve);
  ~ConnectionServer();
  ConnectionServer(const ConnectionServer&) = delete;
  ConnectionServer& operator=(const ConnectionServer&) = delete;

  // "http://127.0.0.1:PORT/v1", an api base for a model.
  std::string api_base() const;
  std::size_t connections() const;

 private:
  void accept_all();

  std::function<void(int)> serve_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::vector<int> clients_;
  std::vector<std::thread> threads_;
};

// Reads one HTTP request from `client`, its head and a Content-Length body, into `request`:
// false when the connection ends first.
bool read_http_request(int client, std::string& request);

// Sends all of `bytes` unless the connection breaks.
void send_all(int socket, std::string_view bytes);

}  // namespace llmrt::test
