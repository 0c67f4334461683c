#pragma once

#include <vector>

#include "llmrt/sdk/message.h"

namespace llmrt::core {

// Every text of every message must be UTF-8: a request body with other bytes is not JSON, and
// servers answer it with a confusing 400 (or worse, guess). Throws Error (bad_request) naming
// the first bad field ("messages[1].content") and the offset of the first bad byte in it.
void check_messages_utf8(const std::vector<Message>& messages);

}  // namespace llmrt::core
