#include "llmrt/plugins/openai_compat/chunk_reader.h"

#include <cstring>

#include "llmrt/plugins/openai_compat/finish_reasons.h"
#include "llmrt/plugins/openai_compat/scanner_reads.h"
#include "llmrt/plugins/openai_compat/usage.h"

namespace llmrt::plugins::openai_compat {
namespace {

bool is_error_member(std::string_view name) {
  return name == "error" || name == "code" || name == "msgCode" || name == "success" ||
         name == "error_code";
}

// A framed chunk's content as its event (none for an empty one), built where it goes and
// appended to its new empty text: one copy, without assign()'s overlap handling. Inlined: it
// runs once per chunk, and as a call it cost 15 of a chunk's 860 instructions.
[[gnu::always_inline]] inline void add_content(std::string_view content,
                                               std::vector<StreamEvent>& out) {
  if (content.empty()) return;
  std::get<ContentDelta>(out.emplace_back(std::in_place_type<ContentDelta>)).text.append(content);
}

}  // namespace

bool ChunkReader::read(std::string_view json, std::vector<StreamEvent>& out) {
  if (std::string_view content; frame_.match(json, scanner_, content)) {
    add_content(content, out);
    return true;
  }
  frame_.clear();
  if (!read_whole(json)) return false;
  if (contents_ == 1 && choice_events_.size() == 1 && !usage_) keep_frame(json);
  for (StreamEvent& e : choice_events_) out.push_back(std::move(e));
  if (usage_) out.emplace_back(UsageEvent{*usage_});
  return true;
}

bool ChunkReader::read_event(std::string_view& bytes, std::size_t max_event_bytes,
                             std::vector<StreamEvent>& out) {
  constexpr std::string_view kData = "data: ";
  if (bytes.size() < kData.size() || std::memcmp(bytes.data(), kData.data(), kData.size()) != 0) {
    return false;
  }
  const std::string_view rest(bytes.data() + kData.size(), bytes.size() - kData.size());
  std::string_view content;
  const std::size_t length = frame_.match_front(rest, scanner_, content);
  // The chunk holds no line break (match_front takes only a frame of one line, and a string
  // holds no raw control character), so this is where its line ends; a blank line ends the event.
  if (length == 0 || rest.size() < length + 2 || rest[length] != '\n' || rest[length + 1] != '\n' ||
      kData.size() + length > max_event_bytes) {
    return false;
  }
  add_content(content, out);
  bytes.remove_prefix(kData.size() + length + 2);
  return true;
}

bool ChunkReader::read_whole(std::string_view json) {
  scanner_.reset(json);
  choice_events_.clear();
  usage_.reset();
  contents_ = 0;
  holes_.clear();
  json::Scanner& s = scanner_;
  if (!s.enter_object()) return false;
  std::string_view name;
  while (s.next_member(name)) {
    if (name == "choices") {
      choice_events_.clear();
      contents_ = 0;
      if (!read_choices()) return false;
    } else if (name == "usage") {
      usage_.reset();
      if (s.peek() == json::Type::object) {
        if (!read_usage(s, usage_.emplace())) return false;
      } else if (!s.skip()) {
        return false;
      }
    } else if (is_error_member(name) || !skip_member()) {
      return false;  // a provider's error object (not a plain chunk), or malformed
    }
  }
  return s.finish();
}

// The chunk as a frame: the skipped strings and the content are its holes.
void ChunkReader::keep_frame(std::string_view json) {
  auto at = holes_.begin();
  while (at != holes_.end() && at->begin < content_at_.begin) ++at;
  const auto content = static_cast<std::size_t>(at - holes_.begin());
  holes_.insert(at, content_at_);
  frame_.keep(json, holes_, content);
}

// A member the reader has no use for, whatever its value; a string value is a hole of the
// frame.
bool ChunkReader::skip_member() {
  json::Scanner& s = scanner_;
  if (s.peek() != json::Type::string) return s.skip();
  const std::size_t begin = s.offset();
  if (!s.skip()) return false;
  holes_.push_back({begin, s.offset()});
  return true;
}

bool ChunkReader::read_choices() {
  json::Scanner& s = scanner_;
  if (s.peek() != json::Type::array) return s.skip();
  s.enter_array();
  while (s.next_item()) {
    if (s.peek() != json::Type::object) {
      if (!s.skip()) return false;
    } else if (!read_choice()) {
      return false;
    }
  }
  return s.ok();
}

// The same events, in the same order, as decode_chunk gives for choice 0.
bool ChunkReader::read_choice() {
  json::Scanner& s = scanner_;
  Choice& c = choice_;
  c.first = true;
  c.clear_delta();
  c.finish_reason.clear();
  s.enter_object();
  std::string_view name;
  while (s.next_member(name)) {
    if (name == "delta") {
      c.clear_delta();
      if (s.peek() == json::Type::object) {
        if (!read_delta()) return false;
      } else if (!s.skip()) {
        return false;
      }
    } else if (name == "index") {
      if (s.peek() == json::Type::null) {
        c.first = s.skip();
      } else {
        c.first = s.int64() == 0;
      }
    } else if (name == "finish_reason") {
      assign_string(c.finish_reason);
    } else if (!skip_member()) {
      return false;
    }
  }
  if (!s.ok()) return false;
  if (!c.first) return true;
  std::vector<StreamEvent>& out = choice_events_;
  if (!c.reasoning_content.empty()) {
    out.emplace_back(ReasoningDelta{c.reasoning_content});
  } else if (!c.reasoning.empty()) {
    out.emplace_back(ReasoningDelta{c.reasoning});
  }
  if (!c.content.empty()) {
    out.emplace_back(ContentDelta{c.content});
    ++contents_;
    content_at_ = c.content_at;
  }
  for (ToolCallDelta& call : c.tool_calls) out.emplace_back(std::move(call));
  if (!c.finish_reason.empty()) out.emplace_back(finish_event(c.finish_reason));
  return true;
}

bool ChunkReader::read_delta() {
  json::Scanner& s = scanner_;
  s.enter_object();
  std::string_view name;
  while (s.next_member(name)) {
    if (name == "content") {
      s.peek();  // to the value's first byte
      choice_.content_at.begin = s.offset();
      assign_string(choice_.content);
      choice_.content_at.end = s.offset();
    } else if (name == "reasoning_content") {
      assign_string(choice_.reasoning_content);
    } else if (name == "reasoning") {
      assign_string(choice_.reasoning);
    } else if (name == "tool_calls") {
      choice_.tool_calls.clear();
      if (!read_tool_calls()) return false;
    } else if (!skip_member()) {
      return false;
    }
  }
  return s.ok();
}

bool ChunkReader::read_tool_calls() {
  json::Scanner& s = scanner_;
  if (s.peek() != json::Type::array) return s.skip();
  s.enter_array();
  while (s.next_item()) {
    ToolCallDelta& call = choice_.tool_calls.emplace_back();
    call.index = 0;
    // An item that is no object is an empty call at index 0, as decode_chunk reads it.
    if (s.peek() != json::Type::object) {
      if (!s.skip()) return false;
    } else if (!read_tool_call(call)) {
      return false;
    }
  }
  return s.ok();
}

bool ChunkReader::read_tool_call(ToolCallDelta& call) {
  json::Scanner& s = scanner_;
  s.enter_object();
  std::string_view name;
  while (s.next_member(name)) {
    if (name == "index") {
      if (!read_tool_index(s, 0, call.index)) return false;
    } else if (name == "id") {
      assign_string(call.id);
    } else if (name == "function") {
      if (!read_function(s, call.name, call.arguments)) return false;
    } else if (!s.skip()) {
      return false;
    }
  }
  return s.ok();
}

void ChunkReader::assign_string(std::string& to) { read_string_or_empty(scanner_, to); }

}  // namespace llmrt::plugins::openai_compat
