#include "http/connection_pool.h"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <unordered_set>
#include <vector>

namespace llmrt::core {
namespace {

// Servers close idle connections after 5 s (Node), 60–75 s (nginx, many gateways): one idle
// longer than this is more likely closed than not, and costs a failed attempt to find out.
constexpr std::chrono::seconds kMaxIdle{50};

// Every live pool, for the fork handlers: held in a set made on first use and never destroyed
// (a fork may come during exit), under a lock every fork takes (so the set is never copied
// mid-change); the handlers are registered when the library is loaded.
std::mutex g_pools_mutex;
std::unordered_set<ConnectionPool*>* g_pools = nullptr;
// In a fork's child, the parent's idle connections, kept and never destroyed: see
// forget_in_child. (Kept, not let go: a leak checker would take them for a leak.)
std::vector<std::unique_ptr<Connection>>* g_parents_connections = nullptr;

// Each pool is locked too, after the set (add and remove take the set's lock alone): none is
// mid-change while the process is copied.
void before_fork() {
  g_pools_mutex.lock();
  if (g_pools == nullptr) return;
  for (ConnectionPool* pool : *g_pools) pool->lock_for_fork();
}

void after_fork(bool child) {
  if (g_pools != nullptr) {
    for (ConnectionPool* pool : *g_pools) {
      if (child) pool->forget_in_child();
      pool->unlock_after_fork();
    }
  }
  g_pools_mutex.unlock();
}

[[maybe_unused]] const int g_fork_handlers = ::pthread_atfork(
    &before_fork, [] { after_fork(false); }, [] { after_fork(true); });

// Looked for among the first few idle connections only: the pool's lock is held meanwhile.
constexpr std::size_t kLoopPickReach = 16;

// On an event loop, the first idle connection that loop used last, if one is near the front;
// else the front one (always over TLS: its exchanges run on helper threads, off any loop). The
// loop's epoll knows whether such a one is clean (no system call to ask,
// Connection::idle_and_clean), and its replies wake no other loop. Taken in turn, a batch's
// connections moved between its loops (BatchOptions::threads), and in half the runs of
// benchmarks/peers' chat_c20 on two loops each request cost 3 µs more.
std::deque<std::unique_ptr<Connection>>::iterator pick_for_this_loop(
    std::deque<std::unique_ptr<Connection>>& idle) {
  const FiberLoop* loop = FiberLoop::current();
  if (loop == nullptr) return idle.begin();
  const auto reach =
      idle.begin() + static_cast<std::ptrdiff_t>(std::min(idle.size(), kLoopPickReach));
  const auto own = std::find_if(idle.begin(), reach, [id = loop->id()](const auto& connection) {
    return connection->last_loop() == id;
  });
  return own == reach ? idle.begin() : own;
}

}  // namespace

ConnectionPool::ConnectionPool(std::size_t max_idle_per_key) : max_idle_per_key_(max_idle_per_key) {
  std::lock_guard lock(g_pools_mutex);
  if (g_pools == nullptr) g_pools = new std::unordered_set<ConnectionPool*>;
  g_pools->insert(this);
}

ConnectionPool::~ConnectionPool() {
  std::lock_guard lock(g_pools_mutex);
  g_pools->erase(this);
}

void ConnectionPool::forget_in_child() {
  if (g_parents_connections == nullptr) {
    g_parents_connections = new std::vector<std::unique_ptr<Connection>>;
  }
  for (auto& [key, idle] : idle_) {
    for (std::unique_ptr<Connection>& connection : idle) {
      // The descriptor goes; the object is kept as it is: its destructor would shut TLS down
      // on the socket the parent still uses.
      ::close(connection->plain_socket().impl()->sockfd());
      g_parents_connections->push_back(std::move(connection));
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
      auto& idle = it->second;
      const auto pick = pick_for_this_loop(idle);
      connection = std::move(*pick);
      idle.erase(pick);
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
