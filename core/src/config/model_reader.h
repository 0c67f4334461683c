#pragma once

#include <string>

#include "config/config_reader.h"
#include "llmrt/core/model_config.h"

namespace llmrt::core {

// One entry of "models" (README, "Configuration"), named `name`, at JSON path `path`.
ModelConfig read_model(const ConfigReader& r, const ConfigReader::Value& v, const std::string& name,
                       const std::string& path);

}  // namespace llmrt::core
