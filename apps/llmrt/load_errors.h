#pragma once

#include <ostream>
#include <vector>

#include "llmrt/core/plugin_registry.h"

namespace llmrt::cli {

// One stderr line per plugin file that did not load: the call may still work with the others,
// but a provider the user expected from that file would otherwise be "not found" unexplained.
void report_load_errors(const std::vector<core::LoadError>& errors, std::ostream& err);

}  // namespace llmrt::cli
