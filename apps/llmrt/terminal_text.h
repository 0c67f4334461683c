#pragma once

#include <string>
#include <string_view>

namespace llmrt {
class Error;
}

namespace llmrt::cli {

// `text` made safe for one line on a terminal. Error messages and codes come from servers the
// user does not control: a raw ESC, BEL or CR could redraw the screen, and a newline could
// forge an "llmrt:" line. Control characters become escapes (\n, \r, \t, \x1b), as do the C1
// controls and the bidirectional overrides (\u009b, \u202e) and bytes that are not UTF-8
// (\xff). Everything else, backslashes included, is kept as it is.
std::string printable(std::string_view text);
// An error's whole line made so: its what() would stop at a NUL that a server's message held.
std::string printable(const Error& error);

}  // namespace llmrt::cli
