#pragma once

#include "config/config_reader.h"
#include "llmrt/core/config.h"

namespace llmrt::core {

// What no single route shows alone: every name a route gives (targets, fallbacks, on) is a
// model or a route, no name is both, no route lists a target twice or falls back to itself, and
// no routes lead round in a cycle (a call would never end). Fails naming the JSON path.
void check_routes(const ConfigReader& r, const RuntimeConfig& config);

}  // namespace llmrt::core
