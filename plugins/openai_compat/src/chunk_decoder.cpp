#include "llmrt/plugins/openai_compat/chunk_decoder.h"

#include <rapidjson/error/en.h>

#include "llmrt/plugins/openai_compat/error_classifier.h"
#include "llmrt/plugins/openai_compat/json_access.h"

namespace llmrt::plugins::openai_compat {
namespace {

void decode_tool_calls(const rapidjson::Value& calls, std::vector<StreamEvent>& out) {
  if (!calls.IsArray()) return;
  for (const rapidjson::Value& call : calls.GetArray()) {
    ToolCallDelta delta;
    delta.index = static_cast<int>(json::integer_member(call, "index"));
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
  out.emplace_back(UsageEvent{Usage{json::integer_member(usage, "prompt_tokens"),
                                    json::integer_member(usage, "completion_tokens"),
                                    json::integer_member(usage, "total_tokens")}});
}

// The text of an event after an in-place parse failed on it: the parser ended the strings it
// had read with NUL where their closing quote was; put the quotes back for the message.
std::string unparsed(std::string_view data) {
  std::string text(data.substr(0, 200));
  for (char& c : text) {
    if (c == '\0') c = '"';
  }
  return text;
}

}  // namespace

void decode_chunk(const rapidjson::Value& chunk, std::vector<StreamEvent>& out) {
  if (const rapidjson::Value* choices = json::member(chunk, "choices");
      choices != nullptr && choices->IsArray()) {
    for (const rapidjson::Value& choice : choices->GetArray()) {
      if (json::integer_member(choice, "index") != 0) continue;
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
        out.emplace_back(FinishEvent{std::string(reason)});
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
  return false;
}

void ChunkStreamDecoder::on_event(const SseEvent& event, std::vector<StreamEvent>& out) {
  if (done_) return;  // nothing after [DONE] is part of the reply
  std::string_view data = event.data;
  if (data == "[DONE]") {
    done_ = true;
    out.emplace_back(DoneEvent{});
    return;
  }
  if (fast_.read(data, out)) return;
  const auto& doc = parser_.parse_in_place(event.writable_data, data.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    std::string why = doc.HasParseError()
                          ? std::string(rapidjson::GetParseError_En(doc.GetParseError()))
                          : std::string("not a JSON object");
    throw Error(ErrorKind::protocol,
                "malformed stream event (" + why + "): '" + json::snippet(unparsed(data)) + "'");
  }
  if (!decode_special(doc, out)) decode_chunk(doc, out);
}

}  // namespace llmrt::plugins::openai_compat
