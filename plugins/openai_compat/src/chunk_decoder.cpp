#include "llmrt/plugins/openai_compat/chunk_decoder.h"
#include "llmrt/plugins/openai_compat/finish_reasons.h"

#include "llmrt/plugins/openai_compat/error_classifier.h"
#include "llmrt/plugins/openai_compat/json_access.h"

namespace llmrt::plugins::openai_compat {
namespace {

void decode_tool_calls(const rapidjson::Value& calls, std::vector<StreamEvent>& out) {
  if (!calls.IsArray()) return;
  for (const rapidjson::Value& call : calls.GetArray()) {
    ToolCallDelta delta;
    delta.index = json::tool_call_index(call, 0);
    delta.id = json::string_member(call, "id");
    if (const rapidjson::Value* fn = json::member(call, "function")) {
      delta.name = json::string_member(*fn, "name");
      delta.arguments = json::string_member(*fn, "arguments");
    }
    out.emplace_back(std::move(delta));
  }
}

void decode_usage(const rapidjson::Value& usage, std::vector<StreamEvent>& out) {
  if (!usage.IsObject()) return;  // "usage": null on every chunk but the last
  out.emplace_back(UsageEvent{Usage{json::count_member(usage, "prompt_tokens").value_or(0),
                                    json::count_member(usage, "completion_tokens").value_or(0),
                                    json::count_member(usage, "total_tokens").value_or(0)}});
}

// Choice 0 is the one llmrt asked for; an index that is there but no integer is not 0.
bool is_first_choice(const rapidjson::Value& choice) {
  const rapidjson::Value* index = json::member(choice, "index");
  return index == nullptr || index->IsNull() || json::as_int64(*index) == 0;
}

}  // namespace

void decode_chunk(const rapidjson::Value& chunk, std::vector<StreamEvent>& out) {
  if (const rapidjson::Value* choices = json::member(chunk, "choices");
      choices != nullptr && choices->IsArray()) {
    for (const rapidjson::Value& choice : choices->GetArray()) {
      if (!is_first_choice(choice)) continue;
      if (const rapidjson::Value* delta = json::member(choice, "delta")) {
        if (auto text = json::string_member(*delta, "reasoning_content"); !text.empty()) {
          out.emplace_back(ReasoningDelta{std::string(text)});
        } else if (auto alt = json::string_member(*delta, "reasoning"); !alt.empty()) {
          out.emplace_back(ReasoningDelta{std::string(alt)});
        }
        if (auto text = json::string_member(*delta, "content"); !text.empty()) {
          out.emplace_back(ContentDelta{std::string(text)});
        }
        if (const rapidjson::Value* calls = json::member(*delta, "tool_calls")) {
          decode_tool_calls(*calls, out);
        }
      }
      if (auto reason = json::string_member(choice, "finish_reason"); !reason.empty()) {
        out.emplace_back(finish_event(reason));
      }
    }
  }
  if (const rapidjson::Value* usage = json::member(chunk, "usage")) decode_usage(*usage, out);
}

ChunkStreamDecoder::ChunkStreamDecoder(const DecoderLimits& limits)
    : sse_(limits.max_event_bytes) {}

void ChunkStreamDecoder::feed(std::string_view bytes, std::vector<StreamEvent>& out) {
  sse_.feed(bytes, [&](const SseEvent& event) { on_event(event, out); });
}

void ChunkStreamDecoder::finish(std::vector<StreamEvent>& out) {
  sse_.finish([&](const SseEvent& event) { on_event(event, out); });
}

bool ChunkStreamDecoder::decode_special(const rapidjson::Value& event,
                                        std::vector<StreamEvent>& out) {
  if (const rapidjson::Value* error = json::member(event, "error")) {
    out.emplace_back(ErrorEvent{error_from_object(*error)});
    return true;
  }
  if (auto error = fastchat_error(event)) {
    out.emplace_back(ErrorEvent{std::move(*error)});
    return true;
  }
  return false;
}

void ChunkStreamDecoder::on_event(const SseEvent& event, std::vector<StreamEvent>& out) {
  if (done_) return;  // nothing after [DONE] or an error is part of the reply
  std::string_view data = event.data;
  if (data == "[DONE]") {
    done_ = true;
    out.emplace_back(DoneEvent{});
    return;
  }
  if (fast_.read(data, out)) return;
  json::ParseStatus status = parser_.parse(data);
  const auto& doc = parser_.document();
  if (!status.ok() || !doc.IsObject()) {
    std::string why = !status.ok() ? status.describe() : std::string("not a JSON object");
    throw Error(ErrorKind::protocol,
                "malformed stream event (" + why + "): '" + json::snippet(data) + "'");
  }
  const std::size_t before = out.size();
  if (!decode_special(doc, out)) {
    if (event.type == "error") {
      // An `event: error` whose object has none of the known shapes is an error all the same.
      out.emplace_back(ErrorEvent{error_from_object(doc)});
    } else {
      decode_chunk(doc, out);
    }
  }
  for (std::size_t i = before; i < out.size(); ++i) {
    if (std::holds_alternative<ErrorEvent>(out[i])) done_ = true;
  }
}

}  // namespace llmrt::plugins::openai_compat
