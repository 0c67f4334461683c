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

}  // namespace llmrt::plugins::openai_compat
