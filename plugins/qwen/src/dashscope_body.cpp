#include "dashscope_body.h"

#include <algorithm>

#include "llmrt/sdk/error.h"
#include "llmrt/sdk/string_map.h"

#include "llmrt/plugins/openai_compat/chat_body.h"
#include "llmrt/plugins/openai_compat/param_warnings.h"

namespace llmrt::plugins::qwen {
namespace {

using openai_compat::JsonWriter;

bool has_extra(const GenParams& p, std::string_view key) { return has_entry(p.extras, key); }

}  // namespace

std::vector<Message> dashscope_messages(const std::vector<Message>& messages, bool native) {
  std::vector<Message> out = messages;
  for (std::size_t i = 0; i < out.size(); ++i) {
    Message& m = out[i];
    if (m.role == "developer") m.role = "system";
    if (!native || m.parts.empty()) continue;
    std::string text = m.content;
    for (const ContentPart& part : m.parts) {
      const auto* t = std::get_if<TextPart>(&part);
      if (t == nullptr) {
        throw Error(ErrorKind::bad_request,
                    "message " + std::to_string(i) +
                        " has an image part: DashScope's text-generation API (qwen, native "
                        "mode) takes text only (images go to its multimodal-generation API; "
                        "the compatible mode takes image_url parts)");
      }
      if (!text.empty()) text += '\n';
      text += t->text;
    }
    m.content = std::move(text);
    m.parts.clear();
  }
  return out;
}

bool incremental_output(const ChatRequest& request) {
  if (!request.stream) return false;
  const std::string* given = find_entry(request.params.extras, "incremental_output");
  return given == nullptr || *given != "false";
}

std::string render_native_body(const ChatRequest& request, std::vector<std::string>* warnings) {
  const GenParams& p = request.params;
  openai_compat::reject_reserved_extras(p);
  JsonWriter w;
  w.begin_object();
  w.key("model");
  w.string(request.model);
  w.key("input");
  w.begin_object();
  w.key("messages");
  openai_compat::write_messages(w, dashscope_messages(request.messages, true), false);
  w.end_object();

  w.key("parameters");
  w.begin_object();
  if (!has_extra(p, "result_format")) {
    w.key("result_format");
    w.string("message");  // output.choices[].message, as the OpenAI shape has it
  }
  if (request.stream && !has_extra(p, "incremental_output")) {
    w.key("incremental_output");
    w.boolean(true);
  }
  openai_compat::ParamWarnings warn(warnings, "DashScope's native API");
  if (p.max_new_tokens) {
    // No cap unless the model configuration sets one: DashScope enforces its own limits.
    const int cap = openai_compat::max_tokens_cap(request, *p.max_new_tokens);
    if (*p.max_new_tokens > cap) warn.capped(*p.max_new_tokens, "max_tokens", cap);
    w.key("max_tokens");
    w.number(std::min(*p.max_new_tokens, cap));
  }
  if (p.temperature && !has_extra(p, "temperature")) {
    w.key("temperature");
    w.number(*p.temperature);
  }
  if (p.top_p && !has_extra(p, "top_p")) {
    w.key("top_p");
    w.number(*p.top_p);
  }
  if (p.top_k && !has_extra(p, "top_k")) {
    w.key("top_k");
    w.number(*p.top_k);
  }
  // DashScope's neutral repetition_penalty is 1.0 and 0 is invalid: lagent's OpenAI-style
  // value of 0 means "no penalty" and is not sent.
  if (p.repetition_penalty && !has_extra(p, "repetition_penalty")) {
    if (*p.repetition_penalty != 0) {
      w.key("repetition_penalty");
      w.number(*p.repetition_penalty);
    } else {
      warn.add(
          "repetition_penalty 0 (lagent's \"no penalty\") is invalid for DashScope, whose "
          "neutral value is 1: not sent");
    }
  }
  if (!p.stop_words.empty() && !has_extra(p, "stop")) {
    w.key("stop");
    w.begin_array();
    for (const std::string& s : p.stop_words) {
      w.string(s);
    }
    w.end_array();
  }
  if (p.seed && !has_extra(p, "seed")) {
    w.key("seed");
    w.number(*p.seed);
  }
  if (p.json_mode && !has_extra(p, "response_format")) {
    w.key("response_format");
    w.begin_object();
    w.key("type");
    w.string("json_object");
    w.end_object();
  }
  // DashScope's function calling documents tool_choice "auto", "none" and a named function.
  if (p.tool_choice && p.tool_choice->mode == ToolChoiceMode::required) {
    throw Error(ErrorKind::bad_request,
                "tool_choice 'required' is not supported by DashScope's native API (qwen): use "
                "auto, none or the name of the tool to call");
  }
  openai_compat::write_tools(w, p);  // into parameters, in OpenAI's shape
  openai_compat::write_extras(w, p);
  w.end_object();
  w.end_object();
  return w.take();
}

}  // namespace llmrt::plugins::qwen
