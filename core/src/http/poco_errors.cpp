#include "http/poco_errors.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>

namespace llmrt::core {

Error to_error(const Poco::Exception& e, std::string_view where) {
  // name(), not className(): the latter is a mangled name in Poco 1.11.
  std::string detail = std::string(where) + ": " + e.displayText();
  if (dynamic_cast<const Poco::TimeoutException*>(&e) != nullptr) {
    return Error(ErrorKind::timeout, detail);
  }
  ErrorInfo info{.kind = ErrorKind::network, .message = detail};
  // A certificate that fails verification will fail every time: the retry policy knows this
  // code and does not retry it.
  if (dynamic_cast<const Poco::Net::CertificateValidationException*>(&e) != nullptr ||
      e.displayText().find("certificate verify failed") != std::string::npos) {
    info.code = "certificate_verify_failed";
  } else if (dynamic_cast<const Poco::Net::SSLException*>(&e) != nullptr) {
    info.code = "tls";
    // OpenSSL's words for a reply that is no TLS record: most often an https:// API base for a
    // server that speaks plain HTTP (a local model server).
    if (e.displayText().find("wrong version number") != std::string::npos) {
      info.message += " (the server does not speak TLS here: does the API base need http://?)";
    }
  }
  return Error(std::move(info));
}

}  // namespace llmrt::core
