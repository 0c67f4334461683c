#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "llmrt/sdk/visibility.h"

namespace llmrt {

// The deepest nesting of arrays and objects llmrt reads in JSON it did not write: replies and
// events from a server, configuration, messages and batch files. RapidJSON's parser recurses
// once per level, so unbounded nesting (300,000 `[` in one chunk) runs any thread out of
// stack. 128 is far beyond any provider's reply (a chat chunk nests 5 levels, a tool's JSON
// schema in a configuration rarely 20), keeps the parser's stack to a few tens of KiB — safe on
// a host's small thread stacks (musl gives threads 128 KiB) — and is serde_json's limit too.
inline constexpr std::size_t kMaxJsonDepth = 128;

// The byte offset of the `[` or `{` that opens level `max_depth + 1` of `text`, or null when
// the nesting never goes deeper than `max_depth`. One pass, no recursion, no allocation;
// brackets inside strings (escapes respected) do not count. On text that is not valid JSON it
// never reports less nesting than a JSON parser would reach before it stops at the error, so a
// text it accepts can be parsed recursively without risk.
LLMRT_VISIBLE std::optional<std::size_t> find_excess_nesting(
    std::string_view text, std::size_t max_depth = kMaxJsonDepth) noexcept;

// 1-based line and column (in bytes) of `offset` in `text`, for errors about local files.
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};
LLMRT_VISIBLE TextPosition text_position(std::string_view text, std::size_t offset) noexcept;

}  // namespace llmrt
