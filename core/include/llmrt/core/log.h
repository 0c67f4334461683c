#pragma once

#include <functional>
#include <optional>
#include <string_view>

namespace llmrt::core {

// llmrt's own diagnostics. The level starts from $LLMRT_LOG (off, error, warn, info, debug;
// unset: off, so that a host program's stderr stays its own; set but unknown: warn) and lines
// go to stderr unless a sink is set. From code, set_log_level() asks for them (a sink only
// says where they go). Nothing logged ever contains a secret:
// every line, before it reaches the sink, has the secrets of every live ChatModel (keys,
// api_base and proxy userinfo) replaced — keys by "…last4" — and the userinfo of any URL
// removed.
enum class LogLevel { off = 0, error, warn, info, debug };

std::optional<LogLevel> parse_log_level(std::string_view name);
void set_log_level(LogLevel level);
LogLevel log_level();
bool log_enabled(LogLevel level);

using LogSink = std::function<void(LogLevel, std::string_view)>;
// Null restores stderr.
void set_log_sink(LogSink sink);

void log(LogLevel level, std::string_view message);

}  // namespace llmrt::core
