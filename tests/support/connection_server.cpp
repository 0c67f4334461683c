#include "support/connection_server.h"

#include <sys/socket.h>
#include <unistd.h>

#include "support/loopback_listener.h"

namespace llmrt::test {

ConnectionServer::ConnectionServer(std::function<void(int client)> serve)
    : serve_(std::move(serve)) {
  listener_ = listen_on_loopback(port_);
  acceptor_ = std::thread([this] { accept_all(); });
}

ConnectionServer::~ConnectionServer() {
  ::shutdown(listener_, SHUT_RDWR);
  acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (int c : clients_) ::shutdown(c, SHUT_RDWR);
  }
  for (std::thread& t : threads_) t.join();
  for (int c : clients_) ::close(c);
  ::close(listener_);
}

std::string ConnectionServer::api_base() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/v1";
}

std::size_t ConnectionServer::connections() const {
  std::lock_guard lock(mutex_);
  return clients_.size();
}

void ConnectionServer::accept_all() {
  while (true) {
    const int client = ::accept(listener_, nullptr, nullptr);
    if (client < 0) return;
    std::lock_guard lock(mutex_);
    clients_.push_back(client);
    threads_.emplace_back([this, client] { serve_(client); });
  }
}

namespace {

// The Content-Length a request's head gives (as llmrt or curl write it), 0 for none.
std::size_t content_length(std::string_view head) {
  for (std::string_view name : {"Content-Length:", "content-length:"}) {
    if (std::size_t at = head.find(name); at != std::string_view::npos) {
      return std::stoul(std::string(head.substr(at + name.size())));
    }
  }
  return 0;
}

}  // namespace

bool read_http_request(int client, std::string& request) {
  request.clear();
  char buffer[4096];
  std::size_t head_end = std::string::npos;
  std::size_t length = 0;
  while (head_end == std::string::npos || request.size() < head_end + 4 + length) {
    const ssize_t got = ::recv(client, buffer, sizeof buffer, 0);
    if (got <= 0) return false;
    request.append(buffer, static_cast<std::size_t>(got));
    if (head_end == std::string::npos && (head_end = request.find("\r\n\r\n")) != request.npos) {
      length = content_length(std::string_view(request).substr(0, head_end));
    }
  }
  return true;
}

void send_all(int socket, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(socket, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent <= 0) return;
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
}

}  // namespace llmrt::test
