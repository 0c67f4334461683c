#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/sdk/chat_request.h"
#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/gen_params.h"
#include "llmrt/sdk/http.h"
#include "llmrt/sdk/sse.h"
#include "llmrt/sdk/stream_event.h"
#include "llmrt/sdk/visibility.h"

namespace llmrt {

struct ProviderInfo {
  std::string name{};              // unique among loaded plugins, e.g. "openai"
  std::string default_api_base{};  // used when the model configuration gives none
  // Where the key comes from when configured as "ENV"; several variables, comma-separated, are
  // tried in order. Empty: the provider needs no key (a local server such as Ollama): with none
  // configured, Credentials::api_key is empty and nothing is sent; one configured literally or as
  // env:VAR is still handed over.
  std::string key_env_var{};
  std::string description{};
  // Where the API base comes from when neither the call's settings nor the configuration give
  // one (OPENAI_BASE_URL, as the OpenAI SDKs read it); empty: no variable.
  std::string base_url_env_var{};
  // The keys of ModelConfig::options (ChatRequest::options) the provider reads, e.g.
  // "max_tokens_cap". The core refuses any other key before anything is sent, naming these: a
  // misspelt switch would otherwise be ignored without a word.
  std::vector<std::string> options{};
};

// Bounds a decoder enforces on untrusted bytes: no single line or event it buffers may grow
// past max_event_bytes (throw Error(protocol) instead; LineDecoder and SseDecoder do when built
// with it). The core bounds the whole body (max_stream_bytes) itself.
struct DecoderLimits {
  std::size_t max_event_bytes = kDefaultMaxLineBytes;
};

// What a stream decoder knows of the response it decodes, besides its bytes.
struct StreamContext {
  int status = 200;       // the response's HTTP status (2xx: errors never reach a decoder)
  HttpHeaders headers{};  // as received (find_header compares names case-insensitively)
  DecoderLimits limits{};
};

// The stream contract: how the core reads what a StreamDecoder gives it. These are the rules
// of core/src/chat/stream_session.cpp, stated so that a plugin never needs to read it.
//
// What a decoder sees. Only the body of a response with a 2xx status, as bytes split anywhere
// (one byte at a time, mid-UTF-8, mid-line): the same body in any split must give the same
// events. new_stream_decoder() gets that status and the response headers (StreamContext: a
// content type to choose the framing by, a request id); a non-2xx response never reaches a
// decoder and goes to classify_error (status, headers, body up to max_body_bytes).
//
// Calls. A decoder serves one attempt of one call: feed() any number of times, then finish()
// once when the body ended. Neither is called again after a DoneEvent or after an exception. A
// retry gets a new decoder from new_stream_decoder().
//
// Events, appended to `out` in the order they arrived (their meanings: stream_event.h).
// ContentDelta, ReasoningDelta and ToolCallDelta in any order as the model produces them;
// UsageEvent and FinishEvent near the end, in either order; DoneEvent last.
//  - Delivered. A ContentDelta with text, a ReasoningDelta, a ToolCallDelta or a UsageEvent
//    reaches the caller as soon as it is decoded. From then on the call is never retried: a
//    later failure ends the stream with an error that carries the text so far. Before it, a
//    failure (an ErrorEvent, a thrown Error, a cut connection) is retried like an HTTP error of
//    the same kind (rate_limited, server, timeout, network; a key failure switches keys).
//    FinishEvent, WarningEvent and empty text are not deliveries: the core holds them. Content held
//    back by the stop-word filter (below) is delivered when released.
//  - FinishEvent does not end the stream; the core keeps the last one and reports it when the
//    stream completes.
//  - DoneEvent completes the stream. Everything after it is ignored: later events in the same
//    `out`, an exception thrown after appending it, the rest of the body (drained briefly, then
//    the connection is closed).
//  - ErrorEvent ends the stream with that error (retried only under the rule above); events
//    after it are ignored. An http_status or request_id the decoder leaves unset is filled in
//    from the response (its 2xx status; x-request-id or request-id).
//  - Throwing Error (kind protocol for bytes that break the format) is a failure like an
//    ErrorEvent, after the events appended before the throw, which arrived and count. Throw
//    nothing but Error.
//
// Body end without DoneEvent. If the decoder appended no event at all for the whole body, the
// body was no stream: a server that ignored "stream": true, or an error object under a 2xx
// status. The core then reads it with parse_response() as a whole reply (which throws the
// classified error when it is one); so bytes that are not stream framing should give no event
// rather than a throw. Otherwise a FinishEvent seen means complete (some servers omit their end
// marker), and none means the connection was cut: a network error.
//
// Stop words. The core cuts the content at the first occurrence of any stop word, across
// deltas, and then completes the stream with finish reason "stop" and drops the rest. A decoder
// never looks for them; build_request still sends them, so the server stops early too.
//
// Turns the bytes of one streamed response body into events. Throws Error (kind protocol) on
// bytes that break the wire format (JSON nested deeper than kMaxJsonDepth included). Reports
// the provider's own in-stream errors as ErrorEvent.
class LLMRT_VISIBLE StreamDecoder {
 public:
  virtual ~StreamDecoder();
  virtual void feed(std::string_view bytes, std::vector<StreamEvent>& out) = 0;
  virtual void finish(std::vector<StreamEvent>& out) = 0;
};

// A provider plugin's whole job: bytes in, values out. Implementations are immutable after
// construction and are shared across threads (every method is called concurrently); they do no
// I/O, keep no clocks, start no threads. The core does HTTP, keys, retries, stop words and
// threads. Only Error may be thrown, and only where a method says so.
class LLMRT_VISIBLE Provider {
 public:
  virtual ~Provider();

  // Called when the plugin loads and when a model is set up with it: the same every time.
  virtual ProviderInfo info() const = 0;

  // Renders method, absolute URL, headers and body of one attempt (each retry asks again, with
  // the credentials of the key picked for it). `request` holds messages already in the API's
  // roles and parameters already merged. Throws Error (bad_request) on a request the API cannot
  // take (e.g. a parameter the provider forbids), naming the parameter. llmrt also calls it once
  // when a model is made, with the model's parameters and options, one short user message and
  // the model's first key, and never sends what it returns: a bad_request then refuses the model.
  virtual HttpRequest build_request(const ChatRequest& request,
                                    const Credentials& credentials) const = 0;

  // Parses a 2xx non-streamed body (status, headers and body as received), and a streamed 2xx
  // body in which the decoder found no event (see the stream contract). Throws Error when the
  // body is malformed (protocol) or carries an error object despite the 2xx status (classified
  // like classify_error).
  virtual ChatResult parse_response(const HttpResponse& response) const = 0;

  // A decoder for one attempt of a streamed call (request.stream is true).
  virtual std::unique_ptr<StreamDecoder> new_stream_decoder(const ChatRequest& request,
                                                            const StreamContext& context) const = 0;

  // Classifies a non-2xx response: status, headers, and the body up to max_body_bytes (any
  // body: JSON, HTML, empty, cut short). The kind drives retries and the key pool
  // (error.h); kind_for_http_status() is the fallback. Never throws.
  virtual ErrorInfo classify_error(const HttpResponse& response) const = 0;
};

}  // namespace llmrt
