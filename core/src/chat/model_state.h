#pragma once

#include <memory>
#include <string>
#include <vector>

#include "diagnostics/redactor.h"
#include "llmrt/core/key_pool.h"
#include "llmrt/core/model_config.h"
#include "llmrt/core/param_overrides.h"
#include "llmrt/core/transport.h"
#include "llmrt/sdk/provider.h"
#include "routing/deployment_health.h"
#include "routing/load_stats.h"
#include "routing/metrics_recorder.h"
#include "routing/rate_budget.h"

namespace llmrt::core {

// What the calls of one deployment share beyond its connections and keys, and change as they
// go: its health, its load, its rate budgets and its counters.
struct DeploymentLive {
  DeploymentLive(const ModelConfig& config, const std::string& name, const std::string& provider,
                 std::size_t keys);

  DeploymentHealth health;
  LoadStats load;
  RateBudget budget;  // rpm and tpm
  // One per key of the key pool, by its index: key_rpm and key_tpm, and what the provider's
  // rate-limit headers said of that key.
  std::vector<std::unique_ptr<RateBudget>> key_budgets;
  MetricsRecorder metrics;
};

// What every call of one ChatModel (one deployment) shares. Calls hold it by shared_ptr, so a
// stream may outlive the ChatModel that started it.
struct ModelState {
  std::shared_ptr<const Provider> provider;
  ModelConfig config;
  std::string name;  // ModelConfig::name, else the API model name
  std::string provider_name;
  // The parameter preset with the model's parameters over it: what every call starts from.
  GenParams params;
  std::shared_ptr<Transport> transport;
  std::shared_ptr<KeyPool> keys;
  // Takes this model's secrets out of every error of its calls and every log line.
  std::shared_ptr<const Redactor> redactor;
  std::unique_ptr<DeploymentLive> live;
};

// A deployment for `config` behind `provider`: checks the settings that end up in a request's
// head and the provider's options, resolves the keys. Throws Error (auth) when no key can be
// resolved, (bad_request) on a bad configuration, naming the provider.
std::shared_ptr<ModelState> make_model_state(std::shared_ptr<const Provider> provider,
                                             ModelConfig config);

// The request a call with these messages sends to `model`: its template applied, then its
// parameter preset, its parameters and the call's overrides.
ChatRequest prepare_request(const ModelState& model, const std::vector<Message>& messages,
                            const ParamOverrides& overrides, bool stream);

}  // namespace llmrt::core
