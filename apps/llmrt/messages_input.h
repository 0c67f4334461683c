#pragma once

#include <string>
#include <vector>

#include "llmrt/sdk/message.h"

namespace llmrt::cli {

// A JSON array of OpenAI-format messages (core/messages_json.h) read from a file, or stdin for
// "-". Throws Error (bad_request) naming the source, the message, the key and what was wrong.
std::vector<Message> read_messages(const std::string& source);

// The text of a file, or of stdin for "-". Throws Error (bad_request) naming it when it cannot
// be read, is a directory or is larger than kMaxLocalInputBytes (local_input.h).
std::string read_input(const std::string& source);

}  // namespace llmrt::cli
