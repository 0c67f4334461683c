#pragma once

// A response body that is plain text, not a stream format: some model servers (DB-GPT's,
// FastChat-style workers behind it) answer a streamed chat with `Content-Type: text/plain` and
// the reply's text as it is generated. An OpenAI-style plugin picks this decoder for them:
//
//   if (is_plain_text(context.headers)) return std::make_unique<PlainTextDecoder>();

#include <string>
#include <string_view>
#include <vector>

#include "llmrt/sdk/http.h"
#include "llmrt/sdk/provider.h"
#include "llmrt/sdk/visibility.h"

namespace llmrt {

// Whether the Content-Type header says text/plain (with any parameters; compared
// case-insensitively, RFC 9110 §8.3.1). False when there is none.
LLMRT_VISIBLE bool is_plain_text(const HttpHeaders& headers);

// Every byte of the body is reply text: each feed() gives one ContentDelta of the bytes so far,
// less the start of a UTF-8 sequence cut at the end of the read (held for the next one, so no
// delta ends mid-character). finish() gives what is held, FinishEvent{stop, "stop"} and
// DoneEvent: plain text has no end marker, the end of the body is the end of the reply.
class LLMRT_VISIBLE PlainTextDecoder final : public StreamDecoder {
 public:
  void feed(std::string_view bytes, std::vector<StreamEvent>& out) override;
  void finish(std::vector<StreamEvent>& out) override;

 private:
  std::string held_;  // at most 3 bytes: an unfinished UTF-8 sequence
};

}  // namespace llmrt
