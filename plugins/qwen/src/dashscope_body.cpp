#include "dashscope_body.h"

#include <algorithm>

#include "llmrt/plugins/openai_compat/chat_body.h"

namespace llmrt::plugins::qwen {
namespace {

using openai_compat::JsonWriter;

bool has_extra(const GenParams& p, const char* key) { return p.extras.count(key) != 0; }

}  // namespace

bool incremental_output(const ChatRequest& request) {
  if (!request.stream) return false;
  auto it = request.params.extras.find("incremental_output");
  return it == request.params.extras.end() || it->second != "false";
}

std::string render_native_body(const ChatRequest& request) {
  const GenParams& p = request.params;
  openai_compat::reject_reserved_extras(p);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("model");
  w.String(request.model.data(), static_cast<rapidjson::SizeType>(request.model.size()));
  w.Key("input");
  w.StartObject();
  w.Key("messages");
  openai_compat::write_messages(w, request.messages);
  w.EndObject();

  w.Key("parameters");
  w.StartObject();
  if (!has_extra(p, "result_format")) {
    w.Key("result_format");
    w.String("message");  // output.choices[].message, as the OpenAI shape has it
  }
  if (request.stream && !has_extra(p, "incremental_output")) {
    w.Key("incremental_output");
    w.Bool(true);
  }
  if (p.max_new_tokens) {
    w.Key("max_tokens");
    // No cap unless the model configuration sets one: DashScope enforces its own limits.
    w.Int(std::min(*p.max_new_tokens, openai_compat::max_tokens_cap(request, *p.max_new_tokens)));
  }
  if (p.temperature && !has_extra(p, "temperature")) {
    w.Key("temperature");
    w.Double(*p.temperature);
  }
  if (p.top_p && !has_extra(p, "top_p")) {
    w.Key("top_p");
    w.Double(*p.top_p);
  }
  if (p.top_k && !has_extra(p, "top_k")) {
    w.Key("top_k");
    w.Int(*p.top_k);
  }
  // DashScope's neutral repetition_penalty is 1.0 and 0 is invalid: lagent's OpenAI-style
  // value of 0 means "no penalty" and is not sent.
  if (p.repetition_penalty && *p.repetition_penalty != 0 && !has_extra(p, "repetition_penalty")) {
    w.Key("repetition_penalty");
    w.Double(*p.repetition_penalty);
  }
  if (!p.stop_words.empty() && !has_extra(p, "stop")) {
    w.Key("stop");
    w.StartArray();
    for (const std::string& s : p.stop_words) {
      w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    }
    w.EndArray();
  }
  if (p.seed && !has_extra(p, "seed")) {
    w.Key("seed");
    w.Int64(*p.seed);
  }
  if (p.json_mode && !has_extra(p, "response_format")) {
    w.Key("response_format");
    w.StartObject();
    w.Key("type");
    w.String("json_object");
    w.EndObject();
  }
  openai_compat::write_extras(w, p);
  w.EndObject();
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace llmrt::plugins::qwen
