#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "llmrt/core/model_config.h"
#include "llmrt/core/param_overrides.h"
#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/http.h"

namespace llmrt::cli {

// The limit on a reply's length that a request carried, and where it came from, for the
// warnings of `llmrt chat`: the user must learn when the limit (not the model) ended a reply,
// and when the plugin's max_tokens_cap lowered the value they set.
struct TokenLimit {
  int wanted = 0;      // max_new_tokens asked for
  std::string source;  // "--param max_new_tokens", "params.max_new_tokens in FILE", the default
  bool user_set = false;
  std::string sent_key;           // max_tokens or max_completion_tokens as the request names it
  std::optional<long long> sent;  // the value the request carries; none: the server's own limit
};

// The limit of `rendered` (the request as the plugin built it from `params`): its max_tokens
// or max_completion_tokens, at the top of the JSON body or in DashScope's "parameters"; the
// max_new_tokens asked for came from `overrides` (--param), else from `config` when it was read
// from `config_file` and differs from the default, else from llmrt's default.
TokenLimit token_limit_of(const HttpRequest& rendered, const GenParams& params,
                          const core::ParamOverrides& overrides, const core::ModelConfig& config,
                          const std::string& config_file);

// "llmrt: warning: max_new_tokens N (from S) was lowered to max_tokens M by the plugin's
// max_tokens_cap …" when the user's value was lowered; nothing otherwise.
void warn_if_capped(const TokenLimit& limit, std::ostream& err);
// "llmrt: warning: the reply was cut by the token limit (finish reason length): …" when the
// reply ended with finish reason `length`; nothing otherwise.
void warn_if_cut(const ChatResult& result, const TokenLimit& limit, std::ostream& err);

}  // namespace llmrt::cli
