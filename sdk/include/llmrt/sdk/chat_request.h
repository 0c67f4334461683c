#pragma once

#include <map>
#include <string>
#include <vector>

#include "llmrt/sdk/gen_params.h"
#include "llmrt/sdk/message.h"

namespace llmrt {

// What the core hands a plugin to render: messages already in API roles, parameters already
// merged from defaults and overrides.
struct ChatRequest {
  std::string model{};
  // As configured: ".../v1" or a full ".../chat/completions" URL; empty means the plugin default.
  std::string api_base{};
  std::vector<Message> messages{};
  GenParams params{};
  bool stream = false;
  // Provider-specific switches from the model configuration (e.g. "max_tokens_cap": "8192").
  std::map<std::string, std::string> options{};
};

// The credentials picked from the key pool for one attempt.
struct Credentials {
  std::string api_key{};
  std::string organization{};  // empty: none
};

}  // namespace llmrt
