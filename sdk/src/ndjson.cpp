#include "llmrt/sdk/ndjson.h"

#include "llmrt/sdk/error.h"
#include "llmrt/sdk/snippet.h"

namespace llmrt::detail {

void throw_ndjson_too_long(std::size_t line, std::size_t limit, std::string_view start) {
  throw Error(ErrorKind::protocol, "NDJSON line " + std::to_string(line) +
                                       " is longer than the limit of " + std::to_string(limit) +
                                       " bytes: '" + snippet(start, 80) + "'");
}

void throw_ndjson_invalid(std::size_t line, std::string_view why, std::string_view text) {
  throw Error(ErrorKind::protocol, "NDJSON line " + std::to_string(line) + " is not JSON (" +
                                       std::string(why) + "): '" + snippet(text) + "'");
}

}  // namespace llmrt::detail
