#include "event_printer.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "llmrt/core/messages_json.h"
#include "llmrt/core/utf8.h"
#include "llmrt/sdk/json_writer.h"
#include "llmrt/sdk/overloaded.h"
#include "terminal_text.h"

namespace llmrt::cli {
namespace {

// A JSON object written member by member, printed as one line.
class JsonLine {
 public:
  JsonLine() : w_(buffer_) { w_.StartObject(); }
  JsonLine& text(const char* key, std::string_view value) {
    w_.Key(key);
    // A JSON text is UTF-8: bytes a server sent that are not become U+FFFD.
    const std::string valid = core::repair_utf8(value);
    w_.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
    return *this;
  }
  JsonLine& text_if(bool wanted, const char* key, std::string_view value) {
    return wanted ? text(key, value) : *this;
  }
  JsonLine& number(const char* key, long long value) {
    w_.Key(key);
    w_.Int64(value);
    return *this;
  }
  std::string str() {
    w_.EndObject();
    return {buffer_.GetString(), buffer_.GetSize()};
  }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

}  // namespace

void EventPrinter::event(const StreamEvent& event) {
  std::visit(Overloaded{
                 [&](const ContentDelta& e) {
                   end_reasoning();
                   if (json_) {
                     out_ << JsonLine().text("type", "delta").text("content", e.text).str() << "\n";
                   } else {
                     out_ << e.text;
                     text_started_ = true;
                   }
                   out_.flush();
                 },
                 [&](const ReasoningDelta& e) {
                   if (json_) {
                     out_ << JsonLine().text("type", "reasoning").text("content", e.text).str()
                          << "\n";
                     out_.flush();
                     return;
                   }
                   if (!reasoning_open_) err_ << "reasoning: ";
                   reasoning_open_ = reasoning_shown_ = true;
                   err_ << e.text;
                   err_.flush();
                 },
                 [&](const WarningEvent& e) {
                   // As text, the command printed the request's warnings before the call.
                   if (!json_) return;
                   out_ << warning_json(e.message) << "\n";
                   out_.flush();
                 },
                 [](const auto&) {},  // tool calls, usage and finish are printed at the end
             },
             event);
}

void EventPrinter::retry(const core::RetryNotice& notice) {
  if (!json_) return;
  out_ << JsonLine()
              .text("type", "retry")
              .number("attempt", notice.attempt)
              .text("kind", to_string(notice.kind))
              .number("status", notice.http_status)
              .number("delay_ms", notice.delay.count())
              .str()
       << "\n";
  out_.flush();
}

void EventPrinter::end_reasoning() {
  if (!reasoning_open_) return;
  err_ << "\n";
  err_.flush();
  reasoning_open_ = false;
}

void EventPrinter::end(const ChatResult& result, bool streamed) {
  if (!json_) {
    if (!reasoning_shown_ && !result.reasoning.empty()) {
      err_ << "reasoning: " << result.reasoning;
      reasoning_open_ = reasoning_shown_ = true;
    }
    end_reasoning();
    if (!streamed) out_ << result.content;
    // A reply of tool calls only is those lines, not an empty line before them.
    if (!result.content.empty() || result.tool_calls.empty()) out_ << "\n";
    for (const ToolCall& call : result.tool_calls) {
      // Server text on one line: no newline or terminal control in a name or its arguments.
      out_ << "tool call " << printable(call.name) << "(" << printable(call.arguments) << ")\n";
    }
    out_.flush();
    return;
  }
  if (!streamed) {
    // A streamed call gave them as events, first.
    for (const std::string& w : result.warnings) out_ << warning_json(w) << "\n";
  }
  if (!streamed && !result.reasoning.empty()) {
    out_ << JsonLine().text("type", "reasoning").text("content", result.reasoning).str() << "\n";
  }
  for (const ToolCall& call : result.tool_calls) {
    out_ << JsonLine()
                .text("type", "tool_call")
                .number("index", call.index)
                .text("id", call.id)
                .text("name", call.name)
                .text("arguments", call.arguments)
                .str()
         << "\n";
  }
  // The reply as the next turn's assistant message, for a caller to append to its conversation
  // (--messages) after running the tools: only when it holds more than the end event's text.
  if (!result.tool_calls.empty() || !result.reasoning_blocks.empty()) {
    json::JsonWriter w;
    w.begin_object();
    w.field("type", "message");
    w.key("message");
    core::write_message_json(w, assistant_message(result));
    w.end_object();
    out_ << w.take() << "\n";
  }
  if (result.usage) {
    out_ << JsonLine()
                .text("type", "usage")
                .number("prompt_tokens", result.usage->prompt_tokens)
                .number("completion_tokens", result.usage->completion_tokens)
                .number("total_tokens", result.usage->total_tokens)
                .str()
         << "\n";
  }
  out_ << JsonLine()
              .text("type", "end")
              .text("finish_reason", finish_reason_name(result))
              // The provider's own word, when it says more than llmrt's.
              .text_if(result.finish_reason_raw != finish_reason_name(result), "finish_reason_raw",
                       result.finish_reason_raw)
              .text("content", result.content)
              .str()
       << "\n";
  out_.flush();
}

std::string EventPrinter::warning_json(std::string_view message) {
  return JsonLine().text("type", "warning").text("message", message).str();
}

std::string EventPrinter::error_json(const ErrorInfo& info, std::string_view partial_content) {
  return JsonLine()
      .text("type", "error")
      .text("kind", to_string(info.kind))
      .number("status", info.http_status)
      .text("code", info.code)
      .text("message", info.message)
      .text("url", info.url)
      .text("partial_content", partial_content)
      .str();
}

void EventPrinter::end_with_error(const Error& error) {
  end_reasoning();
  if (json_) {
    out_ << error_json(error.info(), error.partial_content()) << "\n";
  } else if (text_started_) {
    out_ << "\n";  // end the partial line already printed
  }
  out_.flush();
}

void EventPrinter::error(const Error& error) {
  end_with_error(error);
  err_ << "llmrt: " << printable(error.what()) << "\n";  // server text: no terminal controls
}

void EventPrinter::interrupted(const Error& error) {
  end_with_error(error);
  err_ << "llmrt: interrupted (Ctrl-C)" << (text_started_ ? ": the reply above is cut short" : "")
       << "\n";
}

std::string sse_event_json(std::string_view type, std::string_view data, std::string_view id) {
  return JsonLine().text("event", type).text("data", data).text("id", id).str();
}

}  // namespace llmrt::cli
