#pragma once

#include <map>
#include <string>

#include "llmrt/sdk/json.h"
#include "llmrt/sdk/provider.h"

namespace llmrt::plugins::qwen {

// DashScope's native stream: `id:` / `event:result` / `:HTTP_STATUS/200` / `data:{json}` events,
// no [DONE]; the event whose finish_reason is not "null" is the last. With incremental output
// each event holds the new text; without it each repeats all text so far, and the decoder
// turns that into deltas; an event whose text does not extend the text so far is a protocol
// error naming where they part (the deltas already given cannot be taken back, so there is no
// honest way to resync). `event:error` carries {code, message, request_id}.
class DashScopeStreamDecoder final : public StreamDecoder {
 public:
  DashScopeStreamDecoder(bool cumulative, const DecoderLimits& limits);

  void feed(std::string_view bytes, std::vector<StreamEvent>& out) override;
  void finish(std::vector<StreamEvent>& out) override;

 private:
  void on_event(std::string_view type, std::string_view data, std::vector<StreamEvent>& out);
  void decode_message(const llmrt::json::Value& message, std::vector<StreamEvent>& out);
  // The part of `now` not yet emitted: all of it in incremental mode, what follows the text
  // seen so far in cumulative mode (`what` names the field for the error when it does not
  // follow it).
  std::string_view fresh(std::string& seen, std::string_view now, std::string_view what) const;

  SseDecoder sse_;
  llmrt::json::Document parsed_;  // the current event
  bool cumulative_;
  bool done_ = false;
  std::string content_seen_;
  std::string reasoning_seen_;
  std::map<long long, std::string> arguments_seen_;
};

}  // namespace llmrt::plugins::qwen
