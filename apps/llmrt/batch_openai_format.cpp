#include "batch_openai_format.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdio>
#include <random>

#include "batch_json.h"
#include "llmrt/core/messages_json.h"
#include "llmrt/core/transport.h"
#include "llmrt/core/utf8.h"

namespace llmrt::cli {
namespace {

using batch_json::json_of;
using batch_json::str;
using batch_json::string_of;
using batch_json::Writer;

constexpr std::string_view kChatCompletions = "/v1/chat/completions";

// The API's ids are opaque random strings; llmrt makes its own (the server's are not kept).
std::string random_hex() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(engine()),
                static_cast<unsigned long long>(engine()));
  return std::string(hex, 24);
}

void start_record(Writer& w, const std::string& custom_id) {
  w.StartObject();
  w.Key("id");
  str(w, "batch_req_" + random_hex());
  w.Key("custom_id");
  str(w, custom_id);
}

void require_string(const rapidjson::Value& line, const char* name, std::string_view expected,
                    const char* what) {
  auto it = line.FindMember(name);
  if (it == line.MemberEnd()) {
    throw Error(ErrorKind::bad_request, std::string(name) + ": missing (" + what + ")");
  }
  if (!it->value.IsString() || string_of(it->value) != expected) {
    std::string got = json_of(it->value);
    if (it->value.IsString()) got.assign(1, '\'').append(string_of(it->value)).append(1, '\'');
    throw Error(ErrorKind::bad_request,
                std::string(name) + " " + got + " is not supported: only " + what);
  }
}

}  // namespace

bool is_openai_batch_line(const rapidjson::Value& line) {
  return line.HasMember("body") || line.HasMember("url") || line.HasMember("method");
}

core::BatchItem openai_batch_item(const rapidjson::Value& line, std::string& model) {
  require_string(line, "method", "POST", "POST");
  require_string(line, "url", kChatCompletions, "/v1/chat/completions (chat) is run by llmrt");
  auto body = line.FindMember("body");
  if (body == line.MemberEnd() || !body->value.IsObject()) {
    throw Error(ErrorKind::bad_request, "body: expected an object with messages");
  }
  core::BatchItem item;
  auto messages = body->value.FindMember("messages");
  if (messages == body->value.MemberEnd()) {
    throw Error(ErrorKind::bad_request, "body.messages: missing");
  }
  item.messages = core::parse_messages_json(json_of(messages->value), "body.messages");
  for (const auto& member : body->value.GetObject()) {
    const std::string name = string_of(member.name);
    if (name == "messages") continue;
    if (name == "model") {
      if (member.value.IsString()) model = string_of(member.value);
      continue;
    }
    if (name == "stream") {
      if (member.value.IsFalse()) continue;
      throw Error(ErrorKind::bad_request, "body.stream: a batch item is not streamed");
    }
    // llmrt's name for the limit: max_tokens itself is refused on the command line (lagent's
    // rule), but in this format it is the API's own parameter.
    item.overrides.set_json(name == "max_tokens" ? "max_new_tokens" : name, json_of(member.value));
  }
  item.overrides.apply(GenParams{});  // refuse bad values here, with the line number
  return item;
}

std::string openai_response_record(const std::string& custom_id, const ChatResult& r,
                                   const std::string& model) {
  rapidjson::StringBuffer b;
  Writer w(b);
  start_record(w, custom_id);
  w.Key("response");
  w.StartObject();
  w.Key("status_code");
  w.Int(200);
  w.Key("body");
  w.StartObject();
  w.Key("id");
  str(w, "chatcmpl-" + random_hex());
  w.Key("object");
  w.String("chat.completion");
  w.Key("created");
  w.Int64(std::chrono::duration_cast<std::chrono::seconds>(
              std::chrono::system_clock::now().time_since_epoch())
              .count());
  w.Key("model");
  str(w, model);
  w.Key("choices");
  w.StartArray();
  w.StartObject();
  w.Key("index");
  w.Int(0);
  w.Key("message");
  w.StartObject();
  w.Key("role");
  w.String("assistant");
  w.Key("content");
  if (r.content.empty() && !r.tool_calls.empty()) {
    w.Null();  // as the API says "only tool calls"
  } else {
    str(w, r.content);
  }
  if (!r.reasoning.empty()) {
    w.Key("reasoning_content");  // the name DeepSeek's and Qwen's compatible APIs use
    str(w, r.reasoning);
  }
  if (!r.tool_calls.empty()) {
    w.Key("tool_calls");
    w.StartArray();
    for (const ToolCall& call : r.tool_calls) {
      w.StartObject();
      w.Key("id");
      str(w, call.id);
      w.Key("type");
      str(w, call.type);
      w.Key("function");
      w.StartObject();
      w.Key("name");
      str(w, call.name);
      w.Key("arguments");
      str(w, call.arguments);
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  w.Key("finish_reason");
  str(w, finish_reason_name(r));
  w.EndObject();
  w.EndArray();
  if (r.usage) {
    w.Key("usage");
    w.StartObject();
    w.Key("prompt_tokens");
    w.Int64(r.usage->prompt_tokens);
    w.Key("completion_tokens");
    w.Int64(r.usage->completion_tokens);
    w.Key("total_tokens");
    w.Int64(r.usage->total_tokens);
    // OpenAI's own shape for the detail counts, when the provider reported them.
    if (r.usage->cache_read_tokens != 0) {
      w.Key("prompt_tokens_details");
      w.StartObject();
      w.Key("cached_tokens");
      w.Int64(r.usage->cache_read_tokens);
      w.EndObject();
    }
    if (r.usage->reasoning_tokens != 0) {
      w.Key("completion_tokens_details");
      w.StartObject();
      w.Key("reasoning_tokens");
      w.Int64(r.usage->reasoning_tokens);
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndObject();  // body
  // Beside the API's body, not in it: llmrt's word on which model served and what it cost.
  batch_json::served_by_and_cost(w, r);
  w.EndObject();  // response
  w.Key("error");
  w.Null();
  w.EndObject();
  return {b.GetString(), b.GetSize()};
}

std::string openai_error_record(const std::string& custom_id, const Error& error,
                                std::optional<std::size_t> input_line) {
  const ErrorInfo& info = error.info();
  rapidjson::StringBuffer b;
  Writer w(b);
  start_record(w, custom_id);
  // A refusal (a status that is no 2xx) is a response record; a 2xx reply llmrt could not read
  // is an error record, as tools written for the Batch API take a 200 for a success.
  if (info.http_status > 0 && !core::is_success(info.http_status)) {
    // The server answered: its status, and an error body of the API's shape.
    w.Key("response");
    w.StartObject();
    w.Key("status_code");
    w.Int(info.http_status);
    if (!info.request_id.empty()) {
      w.Key("request_id");
      str(w, info.request_id);
    }
    w.Key("body");
    w.StartObject();
    w.Key("error");
    w.StartObject();
    w.Key("message");
    str(w, info.message);
    w.Key("type");
    str(w, to_string(info.kind));
    w.Key("code");
    if (info.code.empty()) {
      w.Null();
    } else {
      str(w, info.code);
    }
    w.EndObject();
    w.EndObject();
    w.EndObject();
    w.Key("error");
    w.Null();
  } else {
    w.Key("response");
    w.Null();
    w.Key("error");
    w.StartObject();
    w.Key("code");
    str(w, to_string(info.kind));
    w.Key("message");
    str(w, info.message);
    if (input_line) {
      w.Key("line");
      w.Uint64(*input_line);
    }
    w.EndObject();
  }
  w.EndObject();
  return {b.GetString(), b.GetSize()};
}

}  // namespace llmrt::cli
