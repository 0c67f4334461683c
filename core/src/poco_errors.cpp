#include "poco_errors.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>

namespace llmrt::core {

Error to_error(const Poco::Exception& e, std::string_view where) {
  // name(), not className(): the latter is a mangled name in Poco 1.11.
  std::string detail = std::string(where) + ": " + e.displayText();
  if (dynamic_cast<const Poco::TimeoutException*>(&e) != nullptr) {
    return Error(ErrorKind::timeout, detail);
  }
  return Error(ErrorKind::network, detail);
}

}  // namespace llmrt::core
