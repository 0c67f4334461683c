#include "llmrt/mock/silent_server.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <thread>
#include <vector>

namespace llmrt::mock {

struct SilentServer::Impl {
  Poco::Net::ServerSocket listener{Poco::Net::SocketAddress("127.0.0.1", 0), 64};
  std::vector<Poco::Net::StreamSocket> held;  // only the accepting thread touches it
  std::atomic<bool> stopping{false};
  std::atomic<int> accepted{0};
  std::uint16_t port = listener.address().port();
  std::thread thread;

  void run() {
    const Poco::Timespan slice(0, 50'000);  // notice stop() within 50 ms
    while (!stopping) {
      if (!listener.poll(slice, Poco::Net::Socket::SELECT_READ)) continue;
      try {
        held.push_back(listener.acceptConnection());
        ++accepted;
      } catch (const Poco::Exception&) {
        // A client that gave up before the accept: nothing to hold.
      }
    }
    for (Poco::Net::StreamSocket& s : held) s.close();
    held.clear();
  }
};

SilentServer::SilentServer() : impl_(std::make_unique<Impl>()) {
  impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

SilentServer::~SilentServer() { stop(); }

void SilentServer::stop() {
  if (!impl_->thread.joinable()) return;
  impl_->stopping = true;
  impl_->thread.join();
  impl_->listener.close();
}

std::uint16_t SilentServer::port() const noexcept { return impl_->port; }

std::string SilentServer::address() const { return "127.0.0.1:" + std::to_string(port()); }

int SilentServer::accepted() const noexcept { return impl_->accepted; }

}  // namespace llmrt::mock
