#pragma once

#include <Poco/Exception.h>

#include <string_view>

#include "llmrt/sdk/error.h"

namespace llmrt::core {

// A Poco failure on the way to or from the server, as the taxonomy's timeout or network error.
// `where` says what was being done ("connecting to http://host:port").
Error to_error(const Poco::Exception& e, std::string_view where);

}  // namespace llmrt::core
