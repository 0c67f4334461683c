#pragma once

#include <Poco/Net/Context.h>

#include <mutex>

#include "llmrt/core/transport.h"

namespace llmrt::core {

// The one verified TLS client context a transport's HTTPS connections share: certificate chain
// and host name checked (VERIFY_STRICT), TLS 1.2 at least, the system CA store or a CA file.
class TlsContext {
 public:
  // A CA file is read now, so that a wrong path is a configuration error; the system store
  // (tens of milliseconds to load) only when the first HTTPS connection needs it.
  explicit TlsContext(const TransportOptions& options);
  Poco::Net::Context::Ptr get();

 private:
  std::string ca_file_;
  Poco::Net::Context::Ptr context_;
  std::once_flag once_;
};

}  // namespace llmrt::core
