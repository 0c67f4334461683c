#include "llmrt/plugins/openai_compat/chunk_decoder.h"

#include "llmrt/plugins/openai_compat/error_classifier.h"
#include "llmrt/plugins/openai_compat/finish_reasons.h"
#include "llmrt/plugins/openai_compat/malformed.h"
#include "llmrt/plugins/openai_compat/response_parser.h"
#include "llmrt/plugins/openai_compat/usage.h"

namespace llmrt::plugins::openai_compat {
namespace {

void decode_tool_calls(const json::Value& calls, std::vector<StreamEvent>& out) {
  for (json::Value call : calls.items()) {
    ToolCallDelta delta;
    delta.index = tool_call_index(call, 0);
    delta.id = call["id"].str();
    delta.name = call["function"]["name"].str();
    delta.arguments = call["function"]["arguments"].str();
    out.emplace_back(std::move(delta));
  }
}

void decode_usage(const json::Value& usage, std::vector<StreamEvent>& out) {
  if (!usage.is_object()) return;  // "usage": null on every chunk but the last
  out.emplace_back(UsageEvent{read_usage(usage)});
}

// Choice 0 is the one llmrt asked for; an index that is there but no integer is not 0.
bool is_first_choice(const json::Value& choice) {
  const json::Value index = choice["index"];
  return !index.exists() || index.is_null() || index.as_int64() == 0;
}

}  // namespace

void decode_chunk(const json::Value& chunk, std::vector<StreamEvent>& out) {
  for (json::Value choice : chunk["choices"].items()) {
    if (!is_first_choice(choice)) continue;
    if (const json::Value delta = choice["delta"]; delta.exists()) {
      if (auto text = delta["reasoning_content"].str(); !text.empty()) {
        out.emplace_back(ReasoningDelta{std::string(text)});
      } else if (auto alt = delta["reasoning"].str(); !alt.empty()) {
        out.emplace_back(ReasoningDelta{std::string(alt)});
      }
      if (auto text = delta["content"].str(); !text.empty()) {
        out.emplace_back(ContentDelta{std::string(text)});
      }
      decode_tool_calls(delta["tool_calls"], out);
    }
    if (auto reason = choice["finish_reason"].str(); !reason.empty()) {
      out.emplace_back(finish_event(reason));
    }
  }
  if (const json::Value usage = chunk["usage"]; usage.exists()) decode_usage(usage, out);
}

ChunkStreamDecoder::ChunkStreamDecoder(const DecoderLimits& limits, const ErrorTable& errors,
                                       ProviderErrorReader provider_error)
    : errors_(&errors), provider_error_(provider_error), sse_(limits.max_event_bytes) {}

void ChunkStreamDecoder::feed(std::string_view bytes, std::vector<StreamEvent>& out) {
  auto to_sse = [&](std::string_view part) {
    sse_.feed(part, [&](const SseEvent& event) { on_event(event, out); });
  };
  // Events that are the kept chunk frame around new content — nearly all of a stream — are
  // read where they lie, without splitting them into lines first: from wherever the SSE decoder
  // is between events. A line it holds the start of goes to it first, up to its end.
  while (!done_ && !bytes.empty()) {
    if (sse_.idle()) {
      if (!fast_.read_event(bytes, sse_.max_event_bytes(), out)) break;
      continue;
    }
    const std::size_t lf = bytes.find('\n');
    if (lf == std::string_view::npos) break;
    to_sse(bytes.substr(0, lf + 1));
    bytes.remove_prefix(lf + 1);
  }
  if (!bytes.empty()) to_sse(bytes);
}

void ChunkStreamDecoder::finish(std::vector<StreamEvent>& out) {
  sse_.finish([&](const SseEvent& event) { on_event(event, out); });
}

std::optional<ErrorInfo> ChunkStreamDecoder::error_in(const json::Value& event) const {
  if (const json::Value error = event["error"]; error.exists()) {
    return error_from_object(error, *errors_);
  }
  if (auto error = fastchat_error(event, *errors_)) return error;
  if (provider_error_ != nullptr) return provider_error_(event);
  return std::nullopt;
}

void ChunkStreamDecoder::on_event(const SseEvent& event, std::vector<StreamEvent>& out) {
  if (done_) return;  // nothing after [DONE] or an error is part of the reply
  std::string_view data = event.data;
  if (data == "[DONE]") {
    done_ = true;
    out.emplace_back(DoneEvent{});
    return;
  }
  // An event the server names `error` is one whatever its data reads like.
  if (event.type != "error" && fast_.read(data, out)) return;
  const json::Value doc = parse_object(parsed_, data, "stream event");
  std::optional<ErrorInfo> error = error_in(doc);
  // An `event: error` whose object has none of the known shapes is an error all the same.
  if (!error && event.type == "error") error = error_from_object(doc, *errors_);
  if (error) {
    done_ = true;
    out.emplace_back(ErrorEvent{std::move(*error)});
    return;
  }
  decode_chunk(doc, out);
}

}  // namespace llmrt::plugins::openai_compat
