#include "llmrt/kit/event_lines.h"

#include <algorithm>
#include <ostream>

#include "llmrt/sdk/json_writer.h"
#include "llmrt/sdk/overloaded.h"
#include "llmrt/sdk/utf8.h"

namespace llmrt::kit {
namespace {

constexpr std::string_view kContentEnd = "\"}";
// A reply's text is escaped this much at a time when written: its escaped copy never exists
// whole, however long the reply.
constexpr std::size_t kWrittenPiece = std::size_t{64} << 10;

// A JSON object written member by member as one line. Text is repaired here rather than by the
// writer, so that an ill-formed sequence is one U+FFFD however many bytes it has.
class Line {
 public:
  explicit Line(std::string_view type) {
    w_.begin_object();
    text("type", type);
  }
  Line& text(std::string_view key, std::string_view value) {
    w_.key(key);
    if (is_valid_utf8(value)) {
      w_.string(value);
    } else {
      w_.string(repair_utf8(value));
    }
    return *this;
  }
  Line& number(std::string_view key, long long value) {
    w_.key(key).number(value);
    return *this;
  }
  Line& decimal(std::string_view key, double value) {
    w_.key(key).number(value);
    return *this;
  }
  Line& boolean(std::string_view key, bool value) {
    w_.key(key).boolean(value);
    return *this;
  }
  std::string str() {
    w_.end_object();
    return w_.take();
  }

 private:
  json::JsonWriter w_;
};

std::string tool_call_line(std::string_view type, std::int64_t index, std::string_view id,
                           std::string_view name, std::string_view arguments) {
  return Line(type)
      .number("index", index)
      .text("id", id)
      .text("name", name)
      .text("arguments", arguments)
      .str();
}

// The detail counts only when reported, so that a provider without them keeps its short line.
std::string usage_line(const Usage& usage) {
  Line line("usage");
  line.number("prompt_tokens", usage.prompt_tokens)
      .number("completion_tokens", usage.completion_tokens)
      .number("total_tokens", usage.total_tokens);
  if (usage.cache_read_tokens != 0) line.number("cache_read_tokens", usage.cache_read_tokens);
  if (usage.cache_write_tokens != 0) line.number("cache_write_tokens", usage.cache_write_tokens);
  if (usage.reasoning_tokens != 0) line.number("reasoning_tokens", usage.reasoning_tokens);
  return line.str();
}

}  // namespace

std::optional<std::string> event_line(const StreamEvent& event) {
  return std::visit(Overloaded{
                        [](const ContentDelta& e) -> std::optional<std::string> {
                          return Line("delta").text("content", e.text).str();
                        },
                        [](const ReasoningDelta& e) -> std::optional<std::string> {
                          // A fragment of a signature or of redacted reasoning has no text to show.
                          if (e.text.empty()) return std::nullopt;
                          return Line("reasoning").text("content", e.text).str();
                        },
                        [](const WarningEvent& e) -> std::optional<std::string> {
                          return Line("warning").text("message", e.message).str();
                        },
                        [](const auto&) -> std::optional<std::string> { return std::nullopt; },
                    },
                    event);
}

namespace {

// The end lines, the last one cut just before its content's text: `..."content":"`. Its text
// and `"}` follow, written by the caller in one piece or in many.
std::vector<std::string> end_lines_before_content(const ChatResult& result, bool streamed) {
  std::vector<std::string> lines;
  if (!streamed && !result.reasoning.empty()) {
    lines.push_back(Line("reasoning").text("content", result.reasoning).str());
  }
  // Reasoning the provider wants back on the next turn: what `--messages` needs to send it.
  for (std::size_t i = 0; i < result.reasoning_blocks.size(); ++i) {
    const ReasoningBlock& block = result.reasoning_blocks[i];
    if (block.signature.empty() && block.redacted.empty()) continue;
    lines.push_back(Line("reasoning_block")
                        .number("index", static_cast<long long>(i))
                        .text("text", block.text)
                        .text("signature", block.signature)
                        .text("redacted", block.redacted)
                        .str());
  }
  for (const ToolCall& call : result.tool_calls) {
    lines.push_back(tool_call_line("tool_call", call.index, call.id, call.name, call.arguments));
  }
  if (result.usage) lines.push_back(usage_line(*result.usage));
  const std::string_view reason = finish_reason_name(result);
  Line end("end");
  end.text("finish_reason", reason);
  // The provider's own word, when it says more than llmrt's.
  if (result.finish_reason_raw != reason) end.text("finish_reason_raw", result.finish_reason_raw);
  // Set by llmrt's model, not by a plugin: a decoded or replayed reply has neither.
  if (!result.served_by.empty()) end.text("model", result.served_by);
  if (result.cost) end.decimal("cost", *result.cost);
  std::string line = end.text("content", "").str();
  line.resize(line.size() - kContentEnd.size());
  lines.push_back(std::move(line));
  return lines;
}

// Escapes valid UTF-8 `text` as the inside of a JSON string, kWrittenPiece bytes at a time,
// each cut before a lead byte so that no sequence is split; `write` gets each escaped piece.
template <class Write>
void escape_valid_in_pieces(std::string_view text, const Write& write) {
  while (!text.empty()) {
    std::size_t take = std::min(kWrittenPiece, text.size());
    while (take < text.size() && (static_cast<unsigned char>(text[take]) & 0xC0) == 0x80) {
      --take;  // a continuation byte: its sequence goes whole into the next piece
    }
    json::JsonWriter w;
    w.string(text.substr(0, take));
    const std::string& quoted = w.str();
    write(std::string_view(quoted).substr(1, quoted.size() - 2));
    text.remove_prefix(take);
  }
}

template <class Write>
void escape_in_pieces(std::string_view text, const Write& write) {
  if (is_valid_utf8(text)) {
    escape_valid_in_pieces(text, write);
  } else {
    escape_valid_in_pieces(repair_utf8(text), write);  // rare: the one whole copy
  }
}

}  // namespace

std::vector<std::string> end_lines(const ChatResult& result, bool streamed) {
  std::vector<std::string> lines = end_lines_before_content(result, streamed);
  std::string& end = lines.back();
  escape_in_pieces(result.content, [&end](std::string_view escaped) { end += escaped; });
  end += kContentEnd;
  return lines;
}

void write_end_lines(std::ostream& out, const ChatResult& result, bool streamed) {
  std::vector<std::string> lines = end_lines_before_content(result, streamed);
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) out << lines[i] << "\n";
  out << lines.back();
  escape_in_pieces(result.content, [&out](std::string_view escaped) {
    out.write(escaped.data(), static_cast<std::streamsize>(escaped.size()));
  });
  out << kContentEnd << "\n";
}

namespace {

// The error line's members before its partial content.
Line error_line_before_partial(const ErrorInfo& info) {
  Line line("error");
  line.text("kind", to_string(info.kind))
      .number("status", info.http_status)
      .text("code", info.code)
      .text("message", info.message);
  if (!info.request_id.empty()) line.text("request_id", info.request_id);
  if (info.retryable) line.boolean("retryable", *info.retryable);
  if (info.retry_after) line.number("retry_after_ms", info.retry_after->count());
  return std::move(line.text("url", info.url));
}

}  // namespace

std::string error_line(const ErrorInfo& info, std::string_view partial_content) {
  return error_line_before_partial(info).text("partial_content", partial_content).str();
}

void write_error_line(std::ostream& out, const ErrorInfo& info, std::string_view partial_content) {
  // The line with an empty partial content, cut before the value's closing quote and brace.
  std::string line = error_line_before_partial(info).text("partial_content", "").str();
  line.resize(line.size() - kContentEnd.size());
  out << line;
  escape_in_pieces(partial_content, [&out](std::string_view escaped) {
    out.write(escaped.data(), static_cast<std::streamsize>(escaped.size()));
  });
  out << kContentEnd << "\n";
}

std::string retry_line(int attempt, ErrorKind kind, int status, long long delay_ms) {
  return Line("retry")
      .number("attempt", attempt)
      .text("kind", to_string(kind))
      .number("status", status)
      .number("delay_ms", delay_ms)
      .str();
}

std::string route_line(std::string_view from, std::string_view to, std::string_view reason,
                       int status, std::string_view message) {
  Line line("route");
  line.text("from", from).text("model", to).text("reason", reason);
  if (status != 0) line.number("status", status);
  if (!message.empty()) line.text("message", message);
  return line.str();
}

std::string sse_event_line(std::string_view type, std::string_view data, std::string_view id) {
  json::JsonWriter w;
  w.begin_object();
  for (auto [key, value] : {std::pair{"event", type}, {"data", data}, {"id", id}}) {
    w.key(key).string(is_valid_utf8(value) ? std::string(value) : repair_utf8(value));
  }
  w.end_object();
  return w.take();
}

std::string raw_event_line(const StreamEvent& event) {
  return std::visit(
      Overloaded{
          [](const ContentDelta& e) { return Line("delta").text("content", e.text).str(); },
          [](const ReasoningDelta& e) {
            return Line("reasoning_delta")
                .number("block", e.block)
                .text("text", e.text)
                .text("signature", e.signature)
                .text("redacted", e.redacted)
                .str();
          },
          [](const ToolCallDelta& e) {
            return tool_call_line("tool_call_delta", e.index, e.id, e.name, e.arguments);
          },
          [](const FinishEvent& e) {
            return Line("finish").text("reason", to_string(e.reason)).text("raw", e.raw).str();
          },
          [](const UsageEvent& e) { return usage_line(e.usage); },
          [](const ErrorEvent& e) { return error_line(e.error, {}); },
          [](const DoneEvent&) { return Line("done").str(); },
          [](const WarningEvent& e) { return Line("warning").text("message", e.message).str(); },
      },
      event);
}

}  // namespace llmrt::kit
