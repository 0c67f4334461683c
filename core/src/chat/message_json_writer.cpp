#include "llmrt/core/messages_json.h"

namespace llmrt::core {
namespace {

void write_part(json::JsonWriter& w, const ContentPart& part) {
  w.begin_object();
  if (const auto* text = std::get_if<TextPart>(&part)) {
    w.field("type", "text");
    w.field("text", text->text);
  } else {
    const auto& image = std::get<ImagePart>(part);
    w.field("type", "image_url");
    w.key("image_url").begin_object();
    w.field("url",
            image.url.empty() ? "data:" + image.media_type + ";base64," + image.data : image.url);
    if (!image.detail.empty()) w.field("detail", image.detail);
    w.end_object();
  }
  w.end_object();
}

}  // namespace

void write_message_json(json::JsonWriter& w, const Message& m) {
  w.begin_object();
  w.field("role", m.role);
  w.key("content");
  if (!m.parts.empty()) {
    w.begin_array();
    if (!m.content.empty()) write_part(w, TextPart{m.content});
    for (const ContentPart& part : m.parts) write_part(w, part);
    w.end_array();
  } else if (m.content.empty() && !m.tool_calls.empty()) {
    w.null();  // as the API writes an assistant turn that only called tools
  } else {
    w.string(m.content);
  }
  if (m.name) w.field("name", *m.name);
  if (m.tool_call_id) w.field("tool_call_id", *m.tool_call_id);
  if (!m.tool_calls.empty()) {
    w.key("tool_calls").begin_array();
    for (const ToolCall& call : m.tool_calls) {
      w.begin_object();
      w.field("id", call.id);
      w.field("type", call.type.empty() ? std::string("function") : call.type);
      w.key("function").begin_object();
      w.field("name", call.name);
      w.field("arguments", call.arguments);
      w.end_object();
      w.end_object();
    }
    w.end_array();
  }
  if (!m.reasoning.empty()) {
    w.key("reasoning").begin_array();
    for (const ReasoningBlock& block : m.reasoning) {
      w.begin_object();
      if (!block.text.empty()) w.field("text", block.text);
      if (!block.signature.empty()) w.field("signature", block.signature);
      if (!block.redacted.empty()) w.field("redacted", block.redacted);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
}

}  // namespace llmrt::core
