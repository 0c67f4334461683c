#pragma once

#include <optional>
#include <string>

#include "llmrt/sdk/abi_layout.h"

namespace llmrt::core {

// The first difference between the layout fingerprint a plugin was built with and this
// llmrt's, in words ("ErrorInfo differs (plugin vs this llmrt: size 216 vs 184, field kind at
// offset 32 vs 0)"); null when they agree. `plugin` comes from a library not yet trusted: a
// null table, null names or absurd counts are a difference too, never a crash.
std::optional<std::string> layout_difference(const llmrt_layout_table* plugin,
                                             const llmrt_layout_table& ours);

}  // namespace llmrt::core
