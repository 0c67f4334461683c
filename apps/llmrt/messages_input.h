#pragma once

#include <string>
#include <vector>

#include "llmrt/sdk/message.h"

namespace llmrt::cli {

// Reads a JSON array of {"role","content","name"?,"tool_call_id"?} from a file, or stdin for
// "-". Throws Error (bad_request) naming the source, the element and what was expected.
std::vector<Message> read_messages(const std::string& source);

// The text of a file, or of stdin for "-". Throws Error (bad_request) when it cannot be read.
std::string read_input(const std::string& source);

}  // namespace llmrt::cli
