#include "http/session_pool.h"

#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>

#include "diagnostics/redactor.h"
#include "llmrt/sdk/error.h"
#include "http/proxy_selection.h"

namespace llmrt::core {
namespace {

Poco::Timespan to_timespan(std::chrono::milliseconds ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

// Without a handler of our own, Poco's SSLManager may build one from an application config and
// ask on the console whether to accept a bad certificate. Reject, always, process-wide.
void init_tls_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject =
        new Poco::Net::RejectCertificateHandler(false);
    // Never used for a connection (every session gets its own context), so it loads no CAs.
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                               Poco::Net::Context::VERIFY_STRICT, 9, false);
    Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, context);
  });
}

Poco::Net::Context::Ptr make_tls_context(const TransportOptions& options) {
  init_tls_once();
  try {
    // VERIFY_STRICT checks the chain and, in Poco's session, the host name too; the system CA
    // store unless a CA file is given.
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", options.ca_file,
                               Poco::Net::Context::VERIFY_STRICT, 9, options.ca_file.empty(),
                               "ALL:!ADH:!LOW:!EXP:!MD5:!aNULL:@STRENGTH");
    context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                              Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
    return context;
  } catch (const Poco::Exception& e) {
    throw Error(
        ErrorKind::bad_request,
        "TLS setup failed" +
            (options.ca_file.empty() ? std::string() : " (CA file " + options.ca_file + ")") +
            ": " + e.displayText());
  }
}

// Whether `text` contains the user name or the password of `userinfo` ("user:password").
bool quotes_any_part(std::string_view text, std::string_view userinfo) {
  std::size_t colon = std::min(userinfo.find(':'), userinfo.size());
  for (std::string_view part :
       {userinfo.substr(0, colon), userinfo.substr(std::min(colon + 1, userinfo.size()))}) {
    if (!part.empty() && text.find(part) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

SessionPool::SessionPool(const TransportOptions& options) : options_(options) {
  // A CA file is read now, so that a wrong path is a configuration error; the system store
  // (tens of milliseconds to load) only when the first HTTPS connection needs it.
  if (!options_.ca_file.empty()) tls_ = make_tls_context(options_);
}

Poco::Net::Context::Ptr SessionPool::tls_context() {
  std::call_once(tls_once_, [this] {
    if (!tls_) tls_ = make_tls_context(options_);
  });
  return tls_;
}

std::unique_ptr<Poco::Net::HTTPClientSession> SessionPool::connect(const Endpoint& endpoint) {
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (endpoint.https) {
    session = std::make_unique<Poco::Net::HTTPSClientSession>(endpoint.host, endpoint.port,
                                                              tls_context());
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(endpoint.host, endpoint.port);
  }
  session->setKeepAlive(true);  // Poco sends "Connection: close" otherwise
  session->setTimeout(to_timespan(options_.connect_timeout), to_timespan(options_.read_timeout),
                      to_timespan(options_.read_timeout));
  std::string proxy_url = select_proxy(endpoint, options_.proxy, options_.proxy_from_environment,
                                       [](const char* name) { return std::getenv(name); });
  if (!proxy_url.empty()) {
    Poco::URI proxy;
    // The userinfo holds the proxy's password: errors show the URL without it, and Poco's
    // words only when they quote none of it.
    std::string shown = url_without_userinfo(proxy_url);
    try {
      proxy = Poco::URI(proxy_url);
    } catch (const Poco::Exception& e) {
      bool quiet = quotes_any_part(e.message(), url_userinfo(proxy_url));
      throw Error(ErrorKind::bad_request,
                  "invalid proxy URL '" + shown + "'" + (quiet ? "" : ": " + e.message()));
    }
    if (proxy.getHost().empty()) {
      throw Error(ErrorKind::bad_request, "proxy URL '" + shown + "' has no host");
    }
    session->setProxy(proxy.getHost(), proxy.getPort());
    if (const std::string& info = proxy.getUserInfo(); !info.empty()) {
      std::size_t colon = info.find(':');
      session->setProxyCredentials(info.substr(0, colon),
                                   colon == std::string::npos ? "" : info.substr(colon + 1));
    }
  }
  return session;
}

SessionPool::Lease SessionPool::acquire(const Endpoint& endpoint, bool fresh) {
  if (!fresh) {
    std::lock_guard lock(mutex_);
    auto it = idle_.find(endpoint.pool_key());
    if (it != idle_.end() && !it->second.empty()) {
      Lease lease{std::move(it->second.back()), true};
      it->second.pop_back();
      return lease;
    }
  }
  return Lease{connect(endpoint), false};
}

void SessionPool::release(const std::string& pool_key,
                          std::unique_ptr<Poco::Net::HTTPClientSession> session) {
  std::lock_guard lock(mutex_);
  auto& sessions = idle_[pool_key];
  if (sessions.size() < options_.max_idle_connections_per_endpoint) {
    sessions.push_back(std::move(session));
  }
}

}  // namespace llmrt::core
