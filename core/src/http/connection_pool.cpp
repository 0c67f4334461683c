#include "http/connection_pool.h"

namespace llmrt::core {
namespace {

// Servers close idle connections after 5 s (Node), 60–75 s (nginx, many gateways): one idle
// longer than this is more likely closed than not, and costs a failed attempt to find out.
constexpr std::chrono::seconds kMaxIdle{50};

}  // namespace

std::unique_ptr<Connection> ConnectionPool::take(const std::string& key) {
  while (true) {
    std::unique_ptr<Connection> connection;
    {
      std::lock_guard lock(mutex_);
      auto it = idle_.find(key);
      if (it == idle_.end() || it->second.empty()) return nullptr;
      connection = std::move(it->second.front());
      it->second.pop_front();
    }
    // Outside the lock: the check is a system call, and a dropped connection closes its socket.
    if (std::chrono::steady_clock::now() - connection->idle_since() < kMaxIdle &&
        connection->idle_and_clean()) {
      return connection;
    }
  }
}

void ConnectionPool::give(std::unique_ptr<Connection> connection) {
  connection->mark_idle();
  std::lock_guard lock(mutex_);
  auto& idle = idle_[connection->pool_key()];
  if (idle.size() < max_idle_per_key_) idle.push_back(std::move(connection));
}

}  // namespace llmrt::core
