#include "llmrt/sdk/sse.h"

#include <string>

#include "llmrt/sdk/error.h"

namespace llmrt {

void throw_sse_limit(std::string_view what, std::size_t limit) {
  throw Error(ErrorKind::protocol, "stream " + std::string(what) + " longer than the limit of " +
                                       std::to_string(limit) + " bytes");
}

}  // namespace llmrt
