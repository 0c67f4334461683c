#include "batch_records.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <string_view>

#include "batch_json.h"
#include "batch_openai_format.h"
#include "event_printer.h"
#include "llmrt/core/messages_json.h"
#include "llmrt/core/transport.h"
#include "llmrt/core/utf8.h"
#include "llmrt/sdk/json_limits.h"
#include "local_input.h"
#include "terminal_text.h"

namespace llmrt::cli {
namespace {

using batch_json::json_of;
using batch_json::str;
using batch_json::string_of;
using batch_json::Writer;

// A member a line's format does not have: a misspelt "params" would otherwise be dropped with
// its parameters, and the line answered without them.
void refuse_unknown_keys(const rapidjson::Document& doc,
                         std::initializer_list<std::string_view> keys) {
  for (const auto& member : doc.GetObject()) {
    const std::string name = string_of(member.name);
    if (std::find(keys.begin(), keys.end(), name) != keys.end()) continue;
    std::string known;
    for (std::string_view key : keys) known += (known.empty() ? "" : ", ") + std::string(key);
    throw Error(ErrorKind::bad_request,
                "unknown key '" + printable(name) + "' (a line takes " + known + ")");
  }
}

}  // namespace

BatchInputLine parse_batch_line(const std::string& text, std::size_t line_number) {
  BatchInputLine line;
  line.line_number = line_number;
  line.custom_id = "line-" + std::to_string(line_number);
  if (auto at = find_excess_nesting(text)) {
    line.problem = "JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                   " levels at column " + std::to_string(*at + 1);
    return line;
  }
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    line.problem = std::string("invalid JSON at column ") +
                   std::to_string(doc.GetErrorOffset() + 1) + ": " +
                   rapidjson::GetParseError_En(doc.GetParseError());
    return line;
  }
  if (!doc.IsObject()) {
    line.problem = "expected an object with custom_id and messages";
    return line;
  }
  auto id = doc.FindMember("custom_id");
  if (id == doc.MemberEnd() || !id->value.IsString() || id->value.GetStringLength() == 0) {
    line.problem = "custom_id must be a non-empty string";
    return line;
  }
  if (auto at = core::find_invalid_utf8(string_of(id->value))) {
    // The output must be JSON, and a resumed run must find the id exactly as it was written.
    line.problem = "custom_id: invalid UTF-8 at byte " + std::to_string(*at);
    return line;
  }
  line.custom_id.assign(id->value.GetString(), id->value.GetStringLength());
  try {
    if (is_openai_batch_line(doc)) {
      refuse_unknown_keys(doc, {"custom_id", "method", "url", "body"});
      line.format = BatchFormat::openai;
      line.item = openai_batch_item(doc, line.requested_model);
      return line;
    }
    refuse_unknown_keys(doc, {"custom_id", "messages", "params"});
    auto messages = doc.FindMember("messages");
    if (messages == doc.MemberEnd()) throw Error(ErrorKind::bad_request, "messages: missing");
    line.item.messages = core::parse_messages_json(json_of(messages->value), "messages");
    if (auto params = doc.FindMember("params"); params != doc.MemberEnd()) {
      if (!params->value.IsObject())
        throw Error(ErrorKind::bad_request, "params: expected an object");
      for (const auto& p : params->value.GetObject()) {
        line.item.overrides.set_json(string_of(p.name), json_of(p.value));
      }
      line.item.overrides.apply(GenParams{});  // refuse bad values here, with the line number
    }
  } catch (const Error& e) {
    line.problem = e.info().message;
  }
  return line;
}

std::string response_record(const std::string& custom_id, const ChatResult& r) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("custom_id");
  str(w, custom_id);
  w.Key("response");
  w.StartObject();
  w.Key("content");
  str(w, r.content);
  w.Key("finish_reason");
  str(w, finish_reason_name(r));
  if (r.finish_reason_raw != finish_reason_name(r)) {
    w.Key("finish_reason_raw");  // the provider's own word, when it says more than llmrt's
    str(w, r.finish_reason_raw);
  }
  if (!r.warnings.empty()) {
    w.Key("warnings");  // what the plugin dropped or changed in the request
    w.StartArray();
    for (const std::string& warning : r.warnings) str(w, warning);
    w.EndArray();
  }
  if (r.usage) {
    w.Key("usage");
    w.StartObject();
    w.Key("prompt_tokens");
    w.Int64(r.usage->prompt_tokens);
    w.Key("completion_tokens");
    w.Int64(r.usage->completion_tokens);
    w.Key("total_tokens");
    w.Int64(r.usage->total_tokens);
    // The detail counts only when the provider reported them, as the --events usage line.
    for (const auto& [key, value] : {std::pair{"cache_read_tokens", r.usage->cache_read_tokens},
                                     std::pair{"cache_write_tokens", r.usage->cache_write_tokens},
                                     std::pair{"reasoning_tokens", r.usage->reasoning_tokens}}) {
      if (value == 0) continue;
      w.Key(key);
      w.Int64(value);
    }
    w.EndObject();
  }
  batch_json::served_by_and_cost(w, r);
  if (!r.reasoning.empty()) {
    w.Key("reasoning");
    str(w, r.reasoning);
  }
  if (!r.tool_calls.empty()) {
    w.Key("tool_calls");
    w.StartArray();
    for (const ToolCall& call : r.tool_calls) {
      w.StartObject();
      w.Key("id");
      str(w, call.id);
      w.Key("name");
      str(w, call.name);
      w.Key("arguments");
      str(w, call.arguments);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  w.EndObject();
  return {b.GetString(), b.GetSize()};
}

std::string error_record(const std::string& custom_id, const Error& error,
                         std::optional<std::size_t> input_line) {
  rapidjson::Document event;
  std::string error_json = EventPrinter::error_json(error.info(), error.partial_content());
  event.Parse(error_json.c_str());
  event.EraseMember("type");  // EraseMember keeps the order of the rest
  if (input_line) {
    event.AddMember("line", rapidjson::Value(static_cast<uint64_t>(*input_line)),
                    event.GetAllocator());
  }
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("custom_id");
  str(w, custom_id);
  w.Key("error");
  event.Accept(w);
  w.EndObject();
  return {b.GetString(), b.GetSize()};
}

bool is_success_record(const rapidjson::Value& record) {
  auto response = record.FindMember("response");
  if (response == record.MemberEnd() || !response->value.IsObject()) return false;
  auto status = response->value.FindMember("status_code");
  if (status == response->value.MemberEnd()) return true;  // llmrt's own format
  return status->value.IsInt() && core::is_success(status->value.GetInt());
}

PreviousOutput read_previous_output(const std::string& path) {
  PreviousOutput previous;
  // Only a regular file can hold an earlier run's lines (not /dev/stdout, a FIFO, …).
  if (!std::filesystem::is_regular_file(path)) return previous;
  // Line by line and bounded: the output may be huge, or not an output at all.
  LineReader in(path);
  for (LineReader::Line read; in.next(read);) {
    if (read.too_long) {
      // One of ours when it starts as ours do (a reply over 64 MiB with no body limit): more
      // than a rerun reads back, so its item runs again and the rewrite drops it.
      if (read.text.rfind('{', 0) != 0 || read.text.find("\"custom_id\":") == std::string::npos) {
        previous.foreign_line = read.number;
        break;
      }
      previous.had_unreadable_line = true;
      continue;
    }
    if (read.text.find_first_not_of(" \t\r") == std::string::npos) continue;  // holds nothing
    if (!read.terminated) {
      // Cut off by a crash (its item runs again), when it is the start of one of ours.
      if (read.text.front() != '{') previous.foreign_line = read.number;
      previous.had_partial_line = true;
      break;
    }
    std::string line = std::move(read.text);
    rapidjson::Document doc;
    if (!find_excess_nesting(line)) doc.Parse(line.c_str());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("custom_id") ||
        !doc["custom_id"].IsString()) {
      previous.foreign_line = read.number;
      break;
    }
    std::string id = string_of(doc["custom_id"]);
    bool succeeded = is_success_record(doc);
    (succeeded ? previous.succeeded : previous.failed).insert(id);
    previous.lines.push_back({std::move(line), succeeded});
  }
  return previous;
}

}  // namespace llmrt::cli
