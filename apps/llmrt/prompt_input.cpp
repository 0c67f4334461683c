#include "prompt_input.h"

#include <unistd.h>

#include "llmrt/core/utf8.h"
#include "llmrt/sdk/error.h"
#include "local_input.h"

namespace llmrt::cli {

std::string read_prompt(const std::string& prompt, bool given, const std::string& messages_source) {
  if (given && prompt.empty()) {
    // `llmrt chat "$UNSET"` in a `while read` loop must not send the loop's input.
    throw Error(ErrorKind::bad_request,
                "PROMPT is empty (give text, - to read stdin, or --messages FILE)");
  }
  const bool from_stdin =
      prompt == "-" || (!given && messages_source.empty() && ::isatty(STDIN_FILENO) == 0);
  if (!from_stdin) return prompt;
  if (messages_source == "-") {
    throw Error(ErrorKind::bad_request,
                "--messages - and the prompt - both read stdin: give one of them as a file or "
                "as text");
  }
  std::string text = read_local_input("-");
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (auto at = core::find_invalid_utf8(text)) {
    throw Error(ErrorKind::bad_request, "stdin: invalid UTF-8 at byte " + std::to_string(*at));
  }
  if (text.empty()) {
    throw Error(ErrorKind::bad_request,
                "stdin: no prompt in it (chat needs a PROMPT, - with text on stdin, or "
                "--messages FILE)");
  }
  return text;
}

}  // namespace llmrt::cli
