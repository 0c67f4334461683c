#pragma once

#include <string>

#include "config/config_reader.h"
#include "llmrt/core/model_config.h"

namespace llmrt::core {

// A model's "health": when a deployment cools down and for how long; what is left out keeps
// HealthPolicy's default.
HealthPolicy read_health(const ConfigReader& r, const ConfigReader::Value& v,
                         const std::string& path);

}  // namespace llmrt::core
