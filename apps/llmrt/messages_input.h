#pragma once

#include <string>
#include <vector>

#include "llmrt/core/meta_template.h"
#include "llmrt/sdk/message.h"

namespace llmrt::cli {

// A JSON array of OpenAI-format messages (core/messages_json.h) read from a file, or stdin for
// "-". Throws Error (bad_request) naming the source, the message, the key and what was wrong.
std::vector<Message> read_messages(const std::string& source);

// The roles of messages read from `source`, checked against the template that maps them: an
// unknown one is refused naming the file and the message's place in it, not found later as a
// message of the whole conversation (where --system comes first). Returns the mapped messages.
std::vector<Message> check_roles(const std::vector<Message>& messages,
                                 const core::MetaTemplate& meta_template,
                                 const std::string& source);

// The text of a file, or of stdin for "-". Throws Error (bad_request) naming it when it cannot
// be read, is a directory or is larger than kMaxLocalInputBytes (local_input.h).
std::string read_input(const std::string& source);

}  // namespace llmrt::cli
