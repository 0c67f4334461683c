#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "http/endpoint.h"
#include "llmrt/core/transport.h"

namespace llmrt::core {

// Idle keep-alive sessions by endpoint. A session is taken out while a request uses it and
// comes back only when its response was read to the end; any other session is dropped.
class SessionPool {
 public:
  explicit SessionPool(const TransportOptions& options);

  struct Lease {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    bool reused = false;  // it served an earlier request: the server may have closed it since
  };

  // An idle session of the endpoint, or a new one; always a new one with `fresh`.
  Lease acquire(const Endpoint& endpoint, bool fresh = false);
  void release(const std::string& pool_key, std::unique_ptr<Poco::Net::HTTPClientSession> s);

 private:
  std::unique_ptr<Poco::Net::HTTPClientSession> connect(const Endpoint& endpoint);
  Poco::Net::Context::Ptr tls_context();

  TransportOptions options_;
  Poco::Net::Context::Ptr tls_;  // one verified client context for every HTTPS session
  std::once_flag tls_once_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>>> idle_;
};

}  // namespace llmrt::core
