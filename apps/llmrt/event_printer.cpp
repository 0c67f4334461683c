#include "event_printer.h"
#include "llmrt/core/log.h"

#include "llmrt/core/messages_json.h"
#include "llmrt/kit/event_lines.h"
#include "llmrt/sdk/json_writer.h"
#include "llmrt/sdk/overloaded.h"
#include "terminal_text.h"

namespace llmrt::cli {

void EventPrinter::event(const StreamEvent& event) {
  std::visit(Overloaded{
                 [&](const ContentDelta& e) {
                   end_reasoning();
                   if (json_) {
                     out_ << *kit::event_line(event) << "\n";
                   } else {
                     out_ << e.text;
                     text_started_ = true;
                   }
                   out_.flush();
                 },
                 [&](const ReasoningDelta& e) {
                   if (json_) {
                     if (auto line = kit::event_line(event)) out_ << *line << "\n";
                     out_.flush();
                     return;
                   }
                   if (e.text.empty()) return;  // a signature: nothing to show
                   if (!reasoning_open_) err_ << "reasoning: ";
                   reasoning_open_ = reasoning_shown_ = true;
                   err_ << e.text;
                   err_.flush();
                 },
                 [&](const WarningEvent&) {
                   // As text, the command printed the request's warnings before the call.
                   if (!json_) return;
                   out_ << *kit::event_line(event) << "\n";
                   out_.flush();
                 },
                 [](const auto&) {},  // tool calls, usage and finish are printed at the end
             },
             event);
}

void EventPrinter::retry(const core::RetryNotice& notice) {
  if (!json_) return;
  out_ << kit::retry_line(notice.attempt, notice.kind, notice.http_status, notice.delay.count())
       << "\n";
  out_.flush();
}

void EventPrinter::route(const core::RouteNotice& notice) {
  if (json_) {
    out_ << kit::route_line(notice.from, notice.to, notice.reason, notice.http_status,
                            notice.message)
         << "\n";
    out_.flush();
    return;
  }
  end_reasoning();
  if (!core::log_enabled(core::LogLevel::warn)) return;  // --log-level off or error
  // Names from the configuration and a server's message: no terminal controls either way.
  std::string why(notice.reason);
  if (notice.http_status != 0) why += ": HTTP " + std::to_string(notice.http_status);
  if (!notice.message.empty()) why += ": " + notice.message;
  err_ << "llmrt: ";
  if (notice.from.empty()) {
    err_ << "trying " << printable(notice.to) << " (" << printable(why) << ")\n";
  } else {
    err_ << printable(notice.from) << " failed (" << printable(why) << "); trying "
         << printable(notice.to) << "\n";
  }
  err_.flush();
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
  kit::write_end_lines(out_, result, streamed);
  out_.flush();
}

std::string EventPrinter::warning_json(std::string_view message) {
  return *kit::event_line(WarningEvent{std::string(message)});
}

std::string EventPrinter::error_json(const ErrorInfo& info, std::string_view partial_content) {
  return kit::error_line(info, partial_content);
}

void EventPrinter::end_with_error(const Error& error) {
  end_reasoning();
  if (json_) {
    kit::write_error_line(out_, error.info(), error.partial_content());
  } else if (text_started_) {
    out_ << "\n";  // end the partial line already printed
  }
  out_.flush();
}

void EventPrinter::error(const Error& error) {
  end_with_error(error);
  err_ << "llmrt: " << printable(error) << "\n";  // server text: no terminal controls
}

void EventPrinter::interrupted(const Error& error) {
  end_with_error(error);
  err_ << "llmrt: interrupted (Ctrl-C)" << (text_started_ ? ": the reply above is cut short" : "")
       << "\n";
}

std::string sse_event_json(std::string_view type, std::string_view data, std::string_view id) {
  return kit::sse_event_line(type, data, id);
}

}  // namespace llmrt::cli
