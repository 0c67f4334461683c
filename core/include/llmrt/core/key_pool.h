#pragma once

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/sdk/chat_request.h"

namespace llmrt::core {

// "…" and the last four characters: the only form in which a key is ever printed.
std::string mask_key(std::string_view key);

// The API keys (and organisations) of one model, handed out round-robin starting at the first.
// A configured key is literal text, "ENV" (the provider's key variable) or "env:VAR".
// Thread-safe.
class KeyPool {
 public:
  // Throws Error (auth) naming the variable when a key refers to an unset environment
  // variable, or when no key is given and `env_var` is unset.
  KeyPool(std::vector<std::string> keys, std::vector<std::string> organizations,
          std::string_view env_var);

  Credentials acquire();
  std::size_t size() const noexcept { return keys_.size(); }

 private:
  std::vector<std::string> keys_;
  std::vector<std::string> organizations_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace llmrt::core
