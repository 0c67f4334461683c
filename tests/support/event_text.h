#pragma once

#include <string>
#include <vector>

#include "llmrt/sdk/sse.h"
#include "llmrt/sdk/stream_event.h"

namespace llmrt::test {

// A stream event as one line of text, so expectations read like the wire:
// "content:Hel", "reasoning:…", "tool:0|id|name|args", "finish:stop", "usage:79/11/90",
// "error:kind|code|message", "done".
std::string event_text(const StreamEvent& event);
std::vector<std::string> event_texts(const std::vector<StreamEvent>& events);

// An SSE event as "type|data|id".
std::string sse_text(const SseEvent& event);

// The ways a body is cut into reads in the decoder tests: whole, one byte at a time, and at
// every single offset; plus every pair of offsets for bodies up to `pair_limit` bytes.
std::vector<std::vector<std::string>> splits_of(const std::string& body,
                                                std::size_t pair_limit = 64);

// The bytes of tests/data/<relative>.
std::string read_data(const std::string& relative);

}  // namespace llmrt::test
