#include "http/tls_context.h"

#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>

#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

// Without a handler of our own, Poco's SSLManager may build one from an application config and
// ask on the console whether to accept a bad certificate. Reject, always, process-wide.
void init_tls_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject =
        new Poco::Net::RejectCertificateHandler(false);
    // Never used for a connection (every connection gets its transport's context), so it
    // loads no CAs.
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                               Poco::Net::Context::VERIFY_STRICT, 9, false);
    Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, context);
  });
}

Poco::Net::Context::Ptr make_context(const std::string& ca_file) {
  init_tls_once();
  try {
    Poco::Net::Context::Ptr context = new Poco::Net::Context(
        Poco::Net::Context::TLS_CLIENT_USE, "", "", ca_file, Poco::Net::Context::VERIFY_STRICT, 9,
        ca_file.empty(), "ALL:!ADH:!LOW:!EXP:!MD5:!aNULL:@STRENGTH");
    context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                              Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
    return context;
  } catch (const Poco::Exception& e) {
    throw Error(ErrorKind::bad_request,
                "TLS setup failed" +
                    (ca_file.empty() ? std::string() : " (CA file " + ca_file + ")") + ": " +
                    e.displayText());
  }
}

}  // namespace

TlsContext::TlsContext(const TransportOptions& options) : ca_file_(options.ca_file) {
  if (!ca_file_.empty()) context_ = make_context(ca_file_);
}

Poco::Net::Context::Ptr TlsContext::get() {
  std::call_once(once_, [this] {
    if (!context_) context_ = make_context(ca_file_);
  });
  return context_;
}

}  // namespace llmrt::core
