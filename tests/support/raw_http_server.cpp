#include "support/raw_http_server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string_view>

#include "support/loopback_listener.h"

namespace llmrt::test {
namespace {

void send_all(int socket, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(socket, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent <= 0) return;
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
}

std::size_t content_length(const std::string& head) {
  for (std::string_view name : {"Content-Length:", "content-length:"}) {
    if (std::size_t at = head.find(name); at != std::string::npos) {
      return std::stoul(head.substr(at + name.size()));
    }
  }
  return 0;
}

}  // namespace

RawHttpServer::RawHttpServer(std::string head, std::vector<std::string> pieces)
    : head_(std::move(head)), pieces_(std::move(pieces)) {
  listener_ = listen_on_loopback(port_);
  thread_ = std::thread([this] { serve(); });
}

RawHttpServer::~RawHttpServer() {
  stopping_ = true;
  ::shutdown(listener_, SHUT_RDWR);  // wakes accept()
  thread_.join();
  ::close(listener_);
}

std::string RawHttpServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<std::string> RawHttpServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void RawHttpServer::serve() {
  while (!stopping_) {
    const int client = ::accept(listener_, nullptr, nullptr);
    if (client < 0) return;
    answer(client);
    ::close(client);
  }
}

void RawHttpServer::answer(int client) {
  std::string request;
  char buffer[4096];
  std::size_t head_end = std::string::npos;
  while (head_end == std::string::npos ||
         request.size() < head_end + 4 + content_length(request.substr(0, head_end))) {
    const ssize_t got = ::recv(client, buffer, sizeof buffer, 0);
    if (got <= 0) return;
    request.append(buffer, static_cast<std::size_t>(got));
    if (head_end == std::string::npos) head_end = request.find("\r\n\r\n");
  }
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
  }
  send_all(client, head_ + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
  for (const std::string& piece : pieces_) {
    if (piece.empty()) continue;  // an empty chunk would end the body
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    send_all(client, size + piece + "\r\n");
  }
  send_all(client, "0\r\n\r\n");
}

}  // namespace llmrt::test
