#pragma once

#include <string>

#include "config/config_reader.h"
#include "llmrt/core/model_config.h"

namespace llmrt::core {

// A model's "limits": the decoder's and transport's size bounds and the client-side rate
// budgets (README, "Configuration"), into `model`.
void read_limits(const ConfigReader& r, const ConfigReader::Value& v, const std::string& path,
                 ModelConfig& model);

}  // namespace llmrt::core
