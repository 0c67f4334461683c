#pragma once

#include <map>
#include <string>

#include <rapidjson/document.h>

#include "llmrt/plugins/openai_compat/insitu_parser.h"
#include "llmrt/sdk/provider.h"

namespace llmrt::plugins::qwen {

// DashScope's native stream: `id:` / `event:result` / `:HTTP_STATUS/200` / `data:{json}` events,
// no [DONE]; the event whose finish_reason is not "null" is the last. With incremental output
// each event holds the new text; without it each repeats all text so far, and the decoder
// turns that into deltas. `event:error` carries {code, message, request_id}.
class DashScopeStreamDecoder final : public StreamDecoder {
 public:
  DashScopeStreamDecoder(bool cumulative, const DecoderLimits& limits);

  void feed(std::string_view bytes, std::vector<StreamEvent>& out) override;
  void finish(std::vector<StreamEvent>& out) override;

 private:
  void on_event(std::string_view type, std::string_view data, std::vector<StreamEvent>& out);
  void decode_message(const rapidjson::Value& message, std::vector<StreamEvent>& out);
  // The part of `now` not yet emitted: all of it in incremental mode, what follows the text
  // seen so far in cumulative mode.
  std::string_view fresh(std::string& seen, std::string_view now) const;

  SseDecoder sse_;
  json::InsituParser parser_;
  bool cumulative_;
  bool done_ = false;
  std::string content_seen_;
  std::string reasoning_seen_;
  std::map<int, std::string> arguments_seen_;
};

}  // namespace llmrt::plugins::qwen
