#include "support/raw_http_server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>

#include "support/connection_server.h"
#include "support/loopback_listener.h"

namespace llmrt::test {

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
  if (!read_http_request(client, request)) return;
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
