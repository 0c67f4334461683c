#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/sdk/http.h"

namespace llmrt::mock {

struct MockToolCall {
  std::string id;
  std::string name;
  std::string arguments;  // JSON text, streamed in pieces
};

// How the mock server answers one request. Tests queue scenarios; a request may also carry its
// own as a "mock" object in its JSON body (any client can then steer the server: the CLI with
// --param mock='{"chunks":1000}', a peer SDK through its extra-body option).
struct Scenario {
  std::string content =
      "Hello! This reply comes from the llmrt mock server, streamed through a real provider "
      "plugin over real HTTP on loopback.";
  // 0: one chunk per word of `content`; N: exactly N chunks, the words repeated as needed.
  int chunks = 0;
  std::string reasoning;  // streamed (word by word) before the content
  std::vector<MockToolCall> tool_calls;
  std::string finish_reason = "stop";
  // Prompt tokens the provider's cache wrote and read (Anthropic's cache_creation_input_tokens
  // and cache_read_input_tokens), on top of the uncached ones.
  long long cache_write_tokens = 0;
  long long cache_read_tokens = 0;
  // Not 200: answer with this status and `error_body` (or the provider's usual error body).
  int status = 200;
  std::string error_code;  // the provider's code in the default error body
  std::string error_body;
  HttpHeaders headers;  // extra response headers
  // Sent inside the stream, after the content chunks, instead of the finish: a provider
  // error object (JSON). Non-streamed replies send it as a 200 body.
  std::string stream_error;
  std::chrono::milliseconds chunk_delay{0};
  // Answer a stream request as if it were not one: a whole JSON reply (or, with stream_error,
  // a 200 whose body is the error object), as some gateways do.
  bool ignore_stream = false;
  int events_per_flush = 1;  // >1 packs several events in one write
  // "gzip" or "deflate": the body is sent in that content coding (chunked, each write flushed
  // whole), as a compressing proxy in front of a provider sends it unasked.
  std::string content_encoding;

  // Faults, for the resilience tests.
  std::chrono::milliseconds stall_before_headers{0};
  // Close the connection mid-body after this many stream events (the OpenAI role chunk is the
  // first); -1: never.
  int cut_after_events = -1;
  // Send an event that is not JSON after this many events; -1: never.
  int malformed_after_events = -1;
  // Answer a stream with one line that never ends (until the client gives up, 1 GiB at most).
  bool endless_line = false;

  // Hostile-server faults, written byte by byte on the connection. Each ends on its own: a
  // trickle, storm or hold lasts `fault_limit` at most (then the reply goes on normally), and
  // every wait ends when the client hangs up or the server stops.
  std::chrono::milliseconds fault_limit{60'000};
  // The status line and headers one byte per this (the body follows at once).
  std::chrono::milliseconds header_byte_delay{0};
  // Interim (1xx) responses before the real one, `interim_delay` apart; -1: until fault_limit.
  // 103 Early Hints carry a Link header.
  int interim_responses = 0;
  int interim_status = 100;
  std::chrono::milliseconds interim_delay{0};
  // A chunked body whose chunk-size lines (padded with a chunk extension to about 45 bytes)
  // come one byte per this. Whole replies are then chunked too.
  std::chrono::milliseconds chunk_size_byte_delay{0};
  // After the last chunk (0 CRLF), this many trailer lines `trailer_delay` apart before the
  // final CRLF; -1: until fault_limit. Whole replies are then chunked too.
  int trailer_lines = 0;
  std::chrono::milliseconds trailer_delay{0};
  // After the body's last event (a stream's [DONE]), keep the chunked body open this long
  // (fault_limit at most) before ending it, sending an SSE comment every `ping_interval` if set.
  // Whole replies are then chunked too: their client waits mid-body.
  std::chrono::milliseconds hold_after_body{0};
  std::chrono::milliseconds ping_interval{0};
  // After a complete reply, unrequested bytes on the same keep-alive connection, `stray_delay`
  // later: `stray_bytes` as they are, then (if set) a whole second reply, in the protocol of
  // the request, whose content is `stray_reply`. The server then keeps serving the connection.
  std::string stray_bytes;
  std::string stray_reply;
  std::chrono::milliseconds stray_delay{0};
  // Close the connection after a complete reply that did not say "Connection: close" (a
  // keep-alive connection the client will find dead when it reuses it).
  bool close_after_reply = false;
  // Statuses without a body (204, 304) are answered with the status line and headers only.

  // True when the reply is written byte by byte (any fault above, or a status without body).
  bool written_raw() const;

  // The content as it will be chunked; their concatenation is the whole reply.
  std::vector<std::string> content_pieces() const;
  std::string full_content() const;
};

// One member of the JSON "mock" object: its name, the JSON value it takes, what it does.
struct OverrideDoc {
  std::string_view name;
  std::string_view value;
  std::string_view meaning;
};
// Every member apply_overrides knows, in the order `llmrt mock-server --help` lists them.
const std::vector<OverrideDoc>& override_docs();

// Changes a scenario by the members of a JSON "mock" object (see override_docs()). Throws
// std::invalid_argument naming the member when one is unknown or has a wrong value.
void apply_overrides(Scenario& scenario, std::string_view mock_object_json);

}  // namespace llmrt::mock
