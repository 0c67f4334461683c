#include "messages_input.h"

#include "llmrt/core/messages_json.h"
#include "llmrt/sdk/error.h"
#include "local_input.h"

namespace llmrt::cli {

std::string read_input(const std::string& source) { return read_local_input(source); }

std::vector<Message> read_messages(const std::string& source) {
  return core::parse_messages_json(read_local_input(source, kMaxLocalInputBytes, "--messages"),
                                   "messages " + source);
}

std::vector<Message> check_roles(const std::vector<Message>& messages,
                                 const core::MetaTemplate& meta_template,
                                 const std::string& source) {
  try {
    return meta_template.apply(messages);
  } catch (const Error& e) {
    throw Error(ErrorKind::bad_request, "messages " + source + ": " + e.info().message);
  }
}

}  // namespace llmrt::cli
