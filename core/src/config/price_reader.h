#pragma once

#include <string>

#include "config/config_reader.h"
#include "llmrt/core/price.h"

namespace llmrt::core {

// A model's "price": currency units per million tokens; "input" and "output" are required.
Price read_price(const ConfigReader& r, const ConfigReader::Value& v, const std::string& path);

}  // namespace llmrt::core
