#pragma once

#include <string>

#include "config/config_reader.h"
#include "llmrt/core/route_config.h"

namespace llmrt::core {

// One entry of "routes", as written; whether its names exist and form no cycle is checked
// once every model and route is read (route_check.h).
RouteConfig read_route(const ConfigReader& r, const ConfigReader::Value& v,
                       const std::string& path);

}  // namespace llmrt::core
