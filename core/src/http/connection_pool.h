#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/connection.h"

namespace llmrt::core {

// Idle keep-alive connections by endpoint (and proxy). A connection is taken out while a
// request uses it and comes back only when its response was read to the end; before it serves
// again it must be idle and clean (see Connection::idle_and_clean), else it is dropped. The
// connection idle longest is taken first: bytes a server sends after a reply (a stray second
// response) have had the most time to show up before the check.
//
// After fork() the child must not use the parent's connections: a request sent on one would
// reach the parent's server mid-conversation, and its reply could go to either process. A
// pthread_atfork handler empties every pool in the child, closing its descriptors without a
// word on the wire (no TLS close_notify the parent would then receive).
class ConnectionPool {
 public:
  explicit ConnectionPool(std::size_t max_idle_per_key);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // An idle, clean connection for `key`, or null.
  std::unique_ptr<Connection> take(const std::string& key);
  void give(std::unique_ptr<Connection> connection);

  // The fork handlers: every pool locked around fork(); in the child, emptied.
  void lock_for_fork() { mutex_.lock(); }
  void unlock_after_fork() { mutex_.unlock(); }
  void forget_in_child();

 private:
  std::size_t max_idle_per_key_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<std::unique_ptr<Connection>>> idle_;
};

}  // namespace llmrt::core
