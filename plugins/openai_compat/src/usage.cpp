#include "llmrt/plugins/openai_compat/usage.h"

namespace llmrt::plugins::openai_compat {

Usage read_usage(const json::Value& usage) {
  Usage u{usage["prompt_tokens"].as_count().value_or(0),
          usage["completion_tokens"].as_count().value_or(0),
          usage["total_tokens"].as_count().value_or(0)};
  u.cache_read_tokens = usage["prompt_tokens_details"]["cached_tokens"].as_count().value_or(0);
  u.reasoning_tokens =
      usage["completion_tokens_details"]["reasoning_tokens"].as_count().value_or(0);
  return u;
}

bool read_usage(json::Scanner& s, Usage& usage) {
  auto count = [&] {
    const std::optional<long long> n = s.int64();
    return n && *n >= 0 ? *n : 0;
  };
  auto read_details = [&](std::string_view wanted, long long& to) {
    to = 0;
    if (s.peek() != json::Type::object) return s.skip();
    s.enter_object();
    std::string_view member;
    while (s.next_member(member)) {
      if (member == wanted) {
        to = count();
      } else if (!s.skip()) {
        return false;
      }
    }
    return s.ok();
  };
  s.enter_object();
  std::string_view name;
  while (s.next_member(name)) {
    bool ok = true;
    if (name == "prompt_tokens") {
      usage.prompt_tokens = count();
    } else if (name == "completion_tokens") {
      usage.completion_tokens = count();
    } else if (name == "total_tokens") {
      usage.total_tokens = count();
    } else if (name == "prompt_tokens_details") {
      ok = read_details("cached_tokens", usage.cache_read_tokens);
    } else if (name == "completion_tokens_details") {
      ok = read_details("reasoning_tokens", usage.reasoning_tokens);
    } else {
      ok = s.skip();
    }
    if (!ok) return false;
  }
  return s.ok();
}

}  // namespace llmrt::plugins::openai_compat
