#pragma once

#include <optional>
#include <string>

#include "llmrt/sdk/json.h"

namespace llmrt::kit {

// The first place where `got` differs from `expected` as JSON values ("messages[0].role:
// expected \"user\", got \"system\""): objects compare member by member whatever their order,
// arrays item by item, numbers by value. Null when they are equal.
std::optional<std::string> json_difference(json::Value expected, json::Value got,
                                           const std::string& path = {});

}  // namespace llmrt::kit
