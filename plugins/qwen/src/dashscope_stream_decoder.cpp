#include "dashscope_stream_decoder.h"

#include "dashscope_errors.h"
#include "dashscope_response.h"
#include "llmrt/plugins/openai_compat/finish_reasons.h"
#include "llmrt/plugins/openai_compat/json_access.h"

namespace llmrt::plugins::qwen {

DashScopeStreamDecoder::DashScopeStreamDecoder(bool cumulative, const DecoderLimits& limits)
    : sse_(limits.max_event_bytes), cumulative_(cumulative) {}

void DashScopeStreamDecoder::feed(std::string_view bytes, std::vector<StreamEvent>& out) {
  sse_.feed(bytes, [&](const SseEvent& e) { on_event(e.type, e.data, out); });
}

void DashScopeStreamDecoder::finish(std::vector<StreamEvent>& out) {
  sse_.finish([&](const SseEvent& e) { on_event(e.type, e.data, out); });
}

std::string_view DashScopeStreamDecoder::fresh(std::string& seen, std::string_view now,
                                               std::string_view what) const {
  if (!cumulative_) return now;
  // Cumulative text only grows. An event without the text, or repeating an earlier state of
  // it, adds nothing.
  if (now.size() <= seen.size() && std::string_view(seen).substr(0, now.size()) == now) return {};
  if (now.substr(0, seen.size()) != seen) {
    std::size_t at = 0;
    while (at < seen.size() && at < now.size() && seen[at] == now[at]) ++at;
    throw Error(ErrorKind::protocol, "DashScope cumulative " + std::string(what) +
                                         " does not extend the text so far: they differ at byte " +
                                         std::to_string(at) + " ('" +
                                         json::snippet(std::string_view(seen).substr(at), 40) +
                                         "' became '" + json::snippet(now.substr(at), 40) + "')");
  }
  std::string_view added = now.substr(seen.size());
  seen.assign(now);
  return added;
}

void DashScopeStreamDecoder::decode_message(const rapidjson::Value& message,
                                            std::vector<StreamEvent>& out) {
  if (auto r =
          fresh(reasoning_seen_, json::string_member(message, "reasoning_content"), "reasoning");
      !r.empty()) {
    out.emplace_back(ReasoningDelta{std::string(r)});
  }
  if (auto c = fresh(content_seen_, json::string_member(message, "content"), "content");
      !c.empty()) {
    out.emplace_back(ContentDelta{std::string(c)});
  }
  const rapidjson::Value* calls = json::member(message, "tool_calls");
  if (calls == nullptr || !calls->IsArray()) return;
  long long position = 0;
  for (const rapidjson::Value& call : calls->GetArray()) {
    ToolCallDelta delta;
    delta.index = json::tool_call_index(call, position++);
    delta.id = json::string_member(call, "id");
    if (const rapidjson::Value* fn = json::member(call, "function")) {
      delta.name = json::string_member(*fn, "name");
      delta.arguments = fresh(arguments_seen_[delta.index], json::string_member(*fn, "arguments"),
                              "tool call arguments");
    }
    if (!delta.id.empty() || !delta.name.empty() || !delta.arguments.empty()) {
      out.emplace_back(std::move(delta));
    }
  }
}

void DashScopeStreamDecoder::on_event(std::string_view type, std::string_view data,
                                      std::vector<StreamEvent>& out) {
  if (done_) return;
  json::ParseStatus status = parser_.parse(data);
  const auto& doc = parser_.document();
  if (!status.ok() || !doc.IsObject()) {
    throw Error(ErrorKind::protocol,
                "malformed DashScope stream event (" +
                    (status.ok() ? std::string("not a JSON object") : status.describe()) + "): '" +
                    json::snippet(data) + "'");
  }
  const rapidjson::Value* output = json::member(doc, "output");
  if (type == "error" || (output == nullptr && json::member(doc, "code") != nullptr)) {
    done_ = true;
    out.emplace_back(ErrorEvent{error_from_native(doc, 0)});
    return;
  }
  if (output == nullptr) return;  // nothing for us in it
  NativeOutput native = read_output(*output);
  if (native.message != nullptr) {
    decode_message(*native.message, out);
  } else if (auto t = fresh(content_seen_, native.text, "text"); !t.empty()) {
    out.emplace_back(ContentDelta{std::string(t)});
  }
  if (native.finish_reason.empty()) return;
  out.emplace_back(openai_compat::finish_event(native.finish_reason));
  if (const rapidjson::Value* usage = json::member(doc, "usage"); usage && usage->IsObject()) {
    out.emplace_back(UsageEvent{read_usage(*usage)});
  }
  done_ = true;
  out.emplace_back(DoneEvent{});
}

}  // namespace llmrt::plugins::qwen
