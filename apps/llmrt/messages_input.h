#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "llmrt/sdk/message.h"

namespace llmrt::cli {

// A JSON array of {"role","content","name"?,"tool_call_id"?}. Throws Error (bad_request)
// naming `where`, the element and what was expected.
std::vector<Message> messages_from_json(const rapidjson::Value& array, const std::string& where);

// The same array read from a file, or stdin for "-".
std::vector<Message> read_messages(const std::string& source);

// The text of a file, or of stdin for "-". Throws Error (bad_request) naming it when it cannot
// be read, is a directory or is larger than kMaxLocalInputBytes (local_input.h).
std::string read_input(const std::string& source);

}  // namespace llmrt::cli
