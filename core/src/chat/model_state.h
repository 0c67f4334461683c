#pragma once

#include <memory>
#include <string>

#include "diagnostics/redactor.h"
#include "llmrt/core/key_pool.h"
#include "llmrt/core/model_config.h"
#include "llmrt/core/transport.h"
#include "llmrt/sdk/provider.h"

namespace llmrt::core {

// What every call of one ChatModel shares. Calls hold it by shared_ptr, so a stream may
// outlive the ChatModel that started it.
struct ModelState {
  std::shared_ptr<const Provider> provider;
  ModelConfig config;
  std::string provider_name;
  std::shared_ptr<Transport> transport;
  std::shared_ptr<KeyPool> keys;
  // Takes this model's secrets out of every error of its calls and every log line.
  std::shared_ptr<const Redactor> redactor;
};

}  // namespace llmrt::core
