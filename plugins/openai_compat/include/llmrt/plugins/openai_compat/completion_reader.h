#pragma once

#include <string_view>

#include "llmrt/sdk/chat_result.h"

namespace llmrt::plugins::openai_compat {

// Reads a plain chat.completion body in one pass of a json::Scanner, without building a tree:
// the reply every non-streamed call parses, where the tree and its lookups were a fifth of
// the call's instructions. It reads as parse_chat_completion's tree path does — the last of a
// repeated member wins, a member of another type counts as absent, only choices[0] is read —
// and declines (false) on anything else: malformed JSON, a top-level "error" member, no
// non-empty "choices" array, a choices[0] without a "message" object, a tool call whose index
// is no 64-bit integer. The tree path reports or handles those, with its error texts.
// `result` is a fresh ChatResult, read into in place (the reply is not moved from one result to
// the next); after false it holds part of a read, to be discarded.
bool read_completion(std::string_view body, ChatResult& result);

}  // namespace llmrt::plugins::openai_compat
