#include "llmrt/plugins/openai_compat/completion_reader.h"

#include <string>

#include "llmrt/plugins/openai_compat/finish_reasons.h"
#include "llmrt/plugins/openai_compat/scanner_reads.h"
#include "llmrt/plugins/openai_compat/usage.h"
#include "llmrt/sdk/json_scanner.h"

namespace llmrt::plugins::openai_compat {
namespace {

class CompletionReader {
 public:
  CompletionReader(std::string_view body, ChatResult& result) : s_(body), result_(result) {}

  bool read() {
    if (!s_.enter_object()) return false;
    std::string_view name;
    while (s_.next_member(name)) {
      bool ok = true;
      if (name == "choices") {
        ok = read_choices();
      } else if (name == "usage") {
        result_.usage.reset();
        if (s_.peek() == json::Type::object) {
          ok = read_usage(s_, result_.usage.emplace());
        } else {
          ok = s_.skip();
        }
      } else if (name == "error") {
        return false;  // classified by the tree path
      } else {
        ok = s_.skip();
      }
      if (!ok) return false;
    }
    if (!s_.finish() || !has_message_) return false;
    result_.reasoning =
        reasoning_content_.empty() ? std::move(reasoning_) : std::move(reasoning_content_);
    if (!finish_reason_.empty()) {
      result_.finish_reason = finish_reason_of(finish_reason_);
      result_.finish_reason_raw = std::move(finish_reason_);
    }
    return true;
  }

 private:
  // A repeated "choices" replaces what the one before gave.
  bool read_choices() {
    clear_message();
    has_message_ = false;
    finish_reason_.clear();
    if (s_.peek() != json::Type::array) return s_.skip();
    s_.enter_array();
    bool first = true;
    while (s_.next_item()) {
      if (!first || s_.peek() != json::Type::object) {
        if (!s_.skip()) return false;
      } else if (!read_choice()) {
        return false;
      }
      first = false;
    }
    return s_.ok();
  }

  bool read_choice() {
    s_.enter_object();
    std::string_view name;
    while (s_.next_member(name)) {
      if (name == "message") {
        clear_message();
        has_message_ = s_.peek() == json::Type::object;
        if (!(has_message_ ? read_message() : s_.skip())) return false;
      } else if (name == "finish_reason") {
        assign_string(finish_reason_);
      } else if (!s_.skip()) {
        return false;
      }
    }
    return s_.ok();
  }

  bool read_message() {
    s_.enter_object();
    std::string_view name;
    while (s_.next_member(name)) {
      if (name == "content") {
        assign_string(result_.content);
      } else if (name == "reasoning_content") {
        assign_string(reasoning_content_);
      } else if (name == "reasoning") {
        assign_string(reasoning_);
      } else if (name == "tool_calls") {
        result_.tool_calls.clear();
        if (!read_tool_calls()) return false;
      } else if (!s_.skip()) {
        return false;
      }
    }
    return s_.ok();
  }

  bool read_tool_calls() {
    if (s_.peek() != json::Type::array) return s_.skip();
    s_.enter_array();
    long long position = 0;
    while (s_.next_item()) {
      ToolCall& call = result_.tool_calls.emplace_back();
      call.index = position++;
      // An item that is no object is an empty call at its position, as the tree reads it.
      if (s_.peek() != json::Type::object) {
        if (!s_.skip()) return false;
      } else if (!read_tool_call(call)) {
        return false;
      }
    }
    return s_.ok();
  }

  bool read_tool_call(ToolCall& call) {
    const std::int64_t position = call.index;
    s_.enter_object();
    std::string_view name;
    while (s_.next_member(name)) {
      if (name == "index") {
        if (!read_tool_index(s_, position, call.index)) return false;
      } else if (name == "id") {
        assign_string(call.id);
      } else if (name == "type") {
        assign_string(call.type);
        if (call.type.empty()) call.type = "function";  // the tree's default for "" or a non-string
      } else if (name == "function") {
        if (!read_function(s_, call.name, call.arguments)) return false;
      } else if (!s_.skip()) {
        return false;
      }
    }
    return s_.ok();
  }

  void clear_message() {
    result_.content.clear();
    result_.tool_calls.clear();
    reasoning_content_.clear();
    reasoning_.clear();
  }

  void assign_string(std::string& to) { read_string_or_empty(s_, to); }

  json::Scanner s_;
  ChatResult& result_;
  bool has_message_ = false;  // the last "message" of the last "choices"' first item
  std::string reasoning_content_;
  std::string reasoning_;
  std::string finish_reason_;
};

}  // namespace

bool read_completion(std::string_view body, ChatResult& result) {
  return CompletionReader(body, result).read();
}

}  // namespace llmrt::plugins::openai_compat
