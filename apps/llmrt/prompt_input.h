#pragma once

#include <string>

namespace llmrt::cli {

// The user's message of `llmrt chat`: PROMPT as given; stdin for "-", or when neither PROMPT
// nor --messages is given and stdin is not a terminal (`echo hi | llmrt chat …`), as the
// OpenAI and `llm` command lines read it. Text from stdin is bounded like every local input,
// must be UTF-8 and loses its trailing newlines (as the shell's $(…) does). Empty: no prompt.
// Throws Error (bad_request) for a PROMPT `given` empty, and naming stdin when it cannot be
// used: empty, too large, not UTF-8, or already the --messages source.
std::string read_prompt(const std::string& prompt, bool given, const std::string& messages_source);

}  // namespace llmrt::cli
