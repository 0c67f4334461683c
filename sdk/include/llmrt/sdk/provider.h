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
  std::string key_env_var{};       // where the key comes from when configured as "ENV"
  std::string description{};
  // Where the API base comes from when neither the call's settings nor the configuration give
  // one (OPENAI_BASE_URL, as the OpenAI SDKs read it); empty: no variable.
  std::string base_url_env_var{};
  // The keys of ModelConfig::options (ChatRequest::options) the provider reads, e.g.
  // "max_tokens_cap". The core refuses any other key before anything is sent, naming these: a
  // misspelt switch would otherwise be ignored without a word.
  std::vector<std::string> options{};
};

struct DecoderLimits {
  std::size_t max_event_bytes = kDefaultMaxLineBytes;
};

// What a stream decoder knows of the response it decodes, besides its bytes.
struct StreamContext {
  int status = 200;       // the response's HTTP status (2xx: errors never reach a decoder)
  HttpHeaders headers{};  // as received (find_header compares names case-insensitively)
  DecoderLimits limits{};
};

// Turns the bytes of one streamed response body into events. Belongs to one stream; feed()
// may be called with any split of the body. Throws Error (kind protocol) on bytes that break
// the wire format (JSON nested deeper than kMaxJsonDepth included); the events it appended to
// `out` before throwing were decoded from the bytes before the failure and belong to the
// reply. Reports the provider's own in-stream errors as ErrorEvent.
class LLMRT_VISIBLE StreamDecoder {
 public:
  virtual ~StreamDecoder();
  virtual void feed(std::string_view bytes, std::vector<StreamEvent>& out) = 0;
  virtual void finish(std::vector<StreamEvent>& out) = 0;
};

// A provider plugin's whole job: bytes in, values out. Implementations are immutable after
// construction and are shared across threads; they do no I/O, keep no clocks, start no threads.
class LLMRT_VISIBLE Provider {
 public:
  virtual ~Provider();

  virtual ProviderInfo info() const = 0;

  // Renders method, absolute URL, headers and body. Throws Error (bad_request) on a request
  // the API cannot take (e.g. a parameter the provider forbids), naming the parameter.
  virtual HttpRequest build_request(const ChatRequest& request,
                                    const Credentials& credentials) const = 0;

  // Parses a 2xx non-streamed body. Throws Error when the body is malformed (protocol) or
  // carries an error object despite the 2xx status (classified like classify_error).
  virtual ChatResult parse_response(const HttpResponse& response) const = 0;

  virtual std::unique_ptr<StreamDecoder> new_stream_decoder(const ChatRequest& request,
                                                            const StreamContext& context) const = 0;

  // Classifies a non-2xx response (any body: JSON, HTML, empty). Never throws.
  virtual ErrorInfo classify_error(const HttpResponse& response) const = 0;
};

}  // namespace llmrt
