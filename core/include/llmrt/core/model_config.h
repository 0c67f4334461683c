#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "llmrt/core/key_pool.h"
#include "llmrt/core/meta_template.h"
#include "llmrt/core/param_presets.h"
#include "llmrt/core/price.h"
#include "llmrt/core/retry_policy.h"
#include "llmrt/core/transport.h"
#include "llmrt/sdk/gen_params.h"
#include "llmrt/sdk/provider.h"

namespace llmrt::core {

// Client-side rate budgets ("limits" in a configuration file); 0: no limit. A call waits until
// its request fits: no more than `rpm` requests and `tpm` tokens (the prompt, counted with the
// built-in tokenizer, plus the output limit; corrected by the reported usage) in any `window`
// scaled to a minute — with window 1 s and rpm 600, at most 10 a second. key_rpm and key_tpm
// hold the same for each of the model's keys.
struct RateLimits {
  long long rpm = 0;
  long long tpm = 0;
  long long key_rpm = 0;
  long long key_tpm = 0;
  std::chrono::milliseconds window{60'000};
};

// When a deployment is taken out of rotation ("health" in a configuration file): after
// `failures` server, timeout, network or rate-limit failures within `window`, for the provider's
// Retry-After when it gave one, else `cooldown`. failures 0: never.
struct HealthPolicy {
  int failures = 3;
  std::chrono::milliseconds window{60'000};
  std::chrono::milliseconds cooldown{10'000};
};

// Everything that names and shapes one model: which plugin, which API, which keys, and the
// defaults each call starts from.
struct ModelConfig {
  // Its name in the configuration (set by load_config); in results, errors and metrics. Empty:
  // `model` is used.
  std::string name{};
  std::string provider = "openai";
  std::string model{};
  std::string api_base{};  // empty: the plugin's base URL variable when set, else its default
  // Literal keys, "ENV" (the plugin's key variable) or "env:VAR". Empty means {"ENV"}.
  std::vector<std::string> keys{};
  std::vector<std::string> organizations{};
  // How long a key rejected as invalid (401) stays out of rotation before it is tried again;
  // zero: until ChatModel::reset_keys() (lagent's rule). A key without quota stays out until
  // reset_keys().
  std::chrono::milliseconds auth_cooldown = KeyPool::kDefaultAuthCooldown;
  RetryPolicy retry{};
  TransportOptions transport{};
  MetaTemplate meta_template = MetaTemplate::default_template();
  // The preset each call starts from ("defaults" in a configuration file); none: nothing is
  // sent that nobody set. Each call takes the preset, then `params`, then its own overrides
  // (where a null unsets).
  ParamDefaults defaults = ParamDefaults::none;
  // The model's own parameters; what they do not set comes from `defaults`.
  GenParams params{};
  std::map<std::string, std::string> options{};  // provider-specific switches
  // The tokenizer's encoding (cl100k_base, o200k_base) for tokenize() and count_tokens().
  // Empty: the one tiktoken uses for `model`.
  std::string encoding{};
  DecoderLimits limits{};
  RateLimits rate_limits{};
  HealthPolicy health{};
  std::optional<Price> price{};  // none: calls carry no cost
  // Replaces the wait between attempts (tests record the waits instead of sleeping). Empty: a
  // real wait that a cancellation cuts short. In a chat_batch it is called on a helper thread.
  std::function<void(std::chrono::milliseconds)> wait_hook{};
};

}  // namespace llmrt::core
