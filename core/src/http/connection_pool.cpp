#include "http/connection_pool.h"

#include <pthread.h>
#include <unistd.h>

#include <unordered_set>

namespace llmrt::core {
namespace {

// Servers close idle connections after 5 s (Node), 60–75 s (nginx, many gateways): one idle
// longer than this is more likely closed than not, and costs a failed attempt to find out.
constexpr std::chrono::seconds kMaxIdle{50};

// Every live pool, for the fork handlers.
class PoolRegistry {
 public:
  static PoolRegistry& instance() {
    static PoolRegistry* registry = [] {
      auto* r = new PoolRegistry;  // never destroyed: a fork may come during exit
      ::pthread_atfork([] { instance().before_fork(); }, [] { instance().after_fork(false); },
                       [] { instance().after_fork(true); });
      return r;
    }();
    return *registry;
  }
  void add(ConnectionPool* pool) {
    std::lock_guard lock(mutex_);
    pools_.insert(pool);
  }
  void remove(ConnectionPool* pool) {
    std::lock_guard lock(mutex_);
    pools_.erase(pool);
  }

 private:
  // No pool is mid-change while the process is copied: each is locked (the registry first,
  // as add and remove take it alone).
  void before_fork() {
    mutex_.lock();
    for (ConnectionPool* pool : pools_) pool->lock_for_fork();
  }
  void after_fork(bool child) {
    for (ConnectionPool* pool : pools_) {
      if (child) pool->forget_in_child();
      pool->unlock_after_fork();
    }
    mutex_.unlock();
  }

  std::mutex mutex_;
  std::unordered_set<ConnectionPool*> pools_;
};

}  // namespace

ConnectionPool::ConnectionPool(std::size_t max_idle_per_key) : max_idle_per_key_(max_idle_per_key) {
  PoolRegistry::instance().add(this);
}

ConnectionPool::~ConnectionPool() { PoolRegistry::instance().remove(this); }

void ConnectionPool::forget_in_child() {
  for (auto& [key, idle] : idle_) {
    for (std::unique_ptr<Connection>& connection : idle) {
      // The descriptor goes; the object is left as it is: its destructor would shut TLS down
      // on the socket the parent still uses.
      ::close(connection->plain_socket().impl()->sockfd());
      (void)connection.release();
    }
  }
  idle_.clear();
}

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
