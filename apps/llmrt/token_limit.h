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
// warnings of `llmrt chat`: the user must learn when the limit (not the model) ended a reply.
// (A value lowered by the plugin's max_tokens_cap is the plugin's own warning.)
struct TokenLimit {
  int wanted = 0;        // max_new_tokens asked for
  std::string source;    // "--param max_new_tokens", "params.max_new_tokens in FILE", the preset
  std::string sent_key;  // max_tokens or max_completion_tokens as the request names it
  std::optional<long long> sent;  // the value the request carries; none: the server's own limit
};

// The limit of `rendered` (the request as the plugin built it from `params`): its max_tokens
// or max_completion_tokens, at the top of the JSON body or in DashScope's "parameters"; the
// max_new_tokens asked for came from `overrides` (--param), else from `config`'s params (read
// from `config_file` when one is named), else from `config`'s parameter preset.
TokenLimit token_limit_of(const HttpRequest& rendered, const GenParams& params,
                          const core::ParamOverrides& overrides, const core::ModelConfig& config,
                          const std::string& config_file);

// "llmrt: warning: the reply was cut by the token limit (finish reason length): …" when the
// reply ended with finish reason `length`; nothing otherwise.
void warn_if_cut(const ChatResult& result, const TokenLimit& limit, std::ostream& err);

}  // namespace llmrt::cli
