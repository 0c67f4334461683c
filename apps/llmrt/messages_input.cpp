#include "messages_input.h"

#include "llmrt/core/messages_json.h"
#include "local_input.h"

namespace llmrt::cli {

std::string read_input(const std::string& source) { return read_local_input(source); }

std::vector<Message> read_messages(const std::string& source) {
  return core::parse_messages_json(read_local_input(source, kMaxLocalInputBytes, "--messages"),
                                   "messages " + source);
}

}  // namespace llmrt::cli
