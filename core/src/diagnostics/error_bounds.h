#pragma once

#include <cstddef>
#include <string>

#include "llmrt/sdk/error.h"

namespace llmrt::core {

// What an error may quote of a server's words. A real provider's message is a sentence or
// two, its code and request id a few dozen characters; a hostile or broken server can send
// megabytes in each (up to max_body_bytes), which every outcome a batch keeps would hold and
// every terminal would be flooded with.
inline constexpr std::size_t kMaxErrorMessageBytes = 4096;
inline constexpr std::size_t kMaxErrorFieldBytes = 256;  // code, request id

// `text` cut to at most `max` bytes (a `max` longer than the note: the bounds above are), on
// a UTF-8 character's start, with "… (N bytes more)" saying what was left out; unchanged when
// it fits. Cut once, where a failure comes in (Call::received): text that llmrt adds to the
// message later would push it past the bound, and a second cut would take that text away.
std::string bounded(std::string text, std::size_t max);

// The error's message, code and request id so cut. Applied after the redactor: a key that a
// cut split in two would no longer be found whole.
ErrorInfo bounded(ErrorInfo info);

}  // namespace llmrt::core
