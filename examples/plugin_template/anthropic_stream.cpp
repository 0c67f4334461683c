// The Messages API stream: named SSE events whose JSON repeats the name in "type"
// (https://docs.anthropic.com/en/docs/build-with-claude/streaming). Each event name has one
// handler; unknown names are ignored, as the API asks, so new event types break nothing.
#include <map>

#include "anthropic.h"
#include "llmrt/sdk/sse.h"

namespace example {
namespace {

using llmrt::json::Value;
using Events = std::vector<llmrt::StreamEvent>;

class Decoder final : public llmrt::StreamDecoder {
 public:
  explicit Decoder(const llmrt::StreamContext& context)
      : sse_(context.limits.max_event_bytes), status_(context.status) {}

  void feed(std::string_view bytes, Events& out) override {
    sse_.feed(bytes, [&](const llmrt::SseEvent& e) { on_event(e, out); });
  }
  void finish(Events& out) override {
    sse_.finish([&](const llmrt::SseEvent& e) { on_event(e, out); });
  }

 private:
  void on_event(const llmrt::SseEvent& e, Events& out) {
    if (done_ || e.type == "ping") return;
    std::string error;
    if (!doc_.reparse(e.data, &error)) {
      throw llmrt::Error(llmrt::ErrorKind::protocol, "event '" + std::string(e.type) +
                                                         "' is not JSON (" + error + "): " +
                                                         std::string(e.data.substr(0, 200)));
    }
    const Value data = doc_.root();
    if (e.type == "message_start") {
      input_tokens_ = data["message"]["usage"]["input_tokens"].as_count().value_or(0);
    } else if (e.type == "content_block_start") {
      block_start(data, out);
    } else if (e.type == "content_block_delta") {
      block_delta(data, out);
    } else if (e.type == "message_delta") {
      message_delta(data, out);
    } else if (e.type == "message_stop") {
      out.emplace_back(llmrt::DoneEvent{});
      done_ = true;
    } else if (e.type == "error") {
      out.emplace_back(llmrt::ErrorEvent{classify(data, status_)});
      done_ = true;
    }
  }

  void block_start(Value data, Events& out) {
    const long long index = data["index"].as_int64().value_or(0);
    const Value block = data["content_block"];
    const std::string_view type = block["type"].str();
    if (type == "tool_use") {
      // Tool calls are numbered from 0 in the order they come, whatever their block's index.
      const auto call = static_cast<std::int64_t>(calls_.size());
      calls_[index] = call;
      out.emplace_back(llmrt::ToolCallDelta{call, std::string(block["id"].str()),
                                            std::string(block["name"].str()), {}});
    } else if (type == "redacted_thinking") {
      out.emplace_back(llmrt::ReasoningDelta{{}, {}, std::string(block["data"].str()), index});
    } else if (type == "text" && !block["text"].str().empty()) {
      out.emplace_back(llmrt::ContentDelta{std::string(block["text"].str())});
    }
  }

  void block_delta(Value data, Events& out) {
    const long long index = data["index"].as_int64().value_or(0);
    const Value delta = data["delta"];
    const std::string_view type = delta["type"].str();
    if (type == "text_delta") {
      out.emplace_back(llmrt::ContentDelta{std::string(delta["text"].str())});
    } else if (type == "thinking_delta") {
      out.emplace_back(llmrt::ReasoningDelta{std::string(delta["thinking"].str()), {}, {}, index});
    } else if (type == "signature_delta") {
      out.emplace_back(llmrt::ReasoningDelta{{}, std::string(delta["signature"].str()), {}, index});
    } else if (type == "input_json_delta") {
      auto call = calls_.find(index);
      if (call == calls_.end()) {
        throw llmrt::Error(llmrt::ErrorKind::protocol,
                           "input_json_delta for block " + std::to_string(index) +
                               ", which is no tool_use block");
      }
      out.emplace_back(llmrt::ToolCallDelta{
          call->second, {}, {}, std::string(delta["partial_json"].str())});
    }
  }

  // output_tokens is cumulative: the last message_delta has the total.
  void message_delta(Value data, Events& out) {
    if (auto reason = data["delta"]["stop_reason"].as_string()) {
      out.emplace_back(finish_event(*reason));
    }
    const Value usage = data["usage"];
    if (!usage.exists()) return;
    const long long input = usage["input_tokens"].as_count().value_or(input_tokens_);
    const long long output = usage["output_tokens"].as_count().value_or(0);
    out.emplace_back(llmrt::UsageEvent{{input, output, input + output}});
  }

  llmrt::SseDecoder sse_;
  llmrt::json::Document doc_;  // reused for every event: no allocation per event
  int status_;
  long long input_tokens_ = 0;
  std::map<long long, std::int64_t> calls_;  // tool_use block index → tool call number
  bool done_ = false;
};

}  // namespace

std::unique_ptr<llmrt::StreamDecoder> new_decoder(const llmrt::StreamContext& context) {
  return std::make_unique<Decoder>(context);
}

}  // namespace example
