#pragma once

// Replaying a recorded response through a Provider the way the runtime reads one, and turning
// what it gives into `--events` lines (event_lines.h).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/sdk/provider.h"

namespace llmrt::kit {

// A response as received, and the request it answers (its `stream` picks the reading).
struct RecordedResponse {
  ChatRequest request{};
  int status = 200;
  HttpHeaders headers{};
  std::string body{};
};

// What one reading of a response gave.
struct Replay {
  std::vector<std::string> lines;  // the `--events` lines a call that received it prints
  std::vector<std::string>
      raw_lines;  // the stream events as the decoder gave them (raw_event_line)
};

// Reads `response` as the runtime does, the body cut into `reads` (their concatenation is the
// body):
//  - a status that is not 2xx: classify_error → one error line;
//  - a 2xx answer to a request that is not streamed: parse_response → its lines, or the error
//    it throws;
//  - a streamed 2xx: new_stream_decoder, feed() each read, finish(); the stream contract of
//    provider.h decides the end (DoneEvent, an ErrorEvent, a thrown Error, a body without any
//    event read with parse_response, a body cut before its finish reason → a network error).
// An in-stream error's unset status and request id are filled from the response, as the
// runtime does. Never throws an llmrt::Error: it is a line.
Replay replay(const Provider& provider, const RecordedResponse& response,
              const std::vector<std::string_view>& reads);

// The result of replaying a body whole, one byte at a time and split at every offset (two
// reads).
struct SplitCheck {
  Replay whole;
  // Null when every reading gave the same events; else where the first one differs.
  std::optional<std::string> disagreement;
};
SplitCheck replay_every_split(const Provider& provider, const RecordedResponse& response);

}  // namespace llmrt::kit
