#include "llmrt/core/log.h"

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "diagnostics/redactor.h"

namespace llmrt::core {
namespace {

// A library keeps quiet in its host's stderr unless asked: by $LLMRT_LOG, set_log_level or a
// sink. (The llmrt command asks for warnings.)
LogLevel initial_level() {
  const char* env = std::getenv("LLMRT_LOG");
  if (env == nullptr || *env == '\0') return LogLevel::off;
  return parse_log_level(env).value_or(LogLevel::warn);
}

std::atomic<LogLevel>& level_storage() {
  static std::atomic<LogLevel> level{initial_level()};
  return level;
}

struct SinkSlot {
  std::mutex mutex;
  LogSink sink;
};

SinkSlot& sink_slot() {
  static SinkSlot slot;
  return slot;
}

// The redactors of the models alive: every log line passes through each of them.
struct RedactorList {
  std::mutex mutex;
  std::vector<std::weak_ptr<const Redactor>> redactors;
};

RedactorList& redactor_list() {
  static RedactorList list;
  return list;
}

std::string redacted(std::string_view message) {
  std::vector<std::shared_ptr<const Redactor>> live;
  {
    RedactorList& list = redactor_list();
    std::lock_guard lock(list.mutex);
    for (const auto& weak : list.redactors) {
      if (auto redactor = weak.lock()) live.push_back(std::move(redactor));
    }
  }
  std::string text(message);
  for (const auto& redactor : live) text = redactor->apply(std::move(text));
  return strip_url_userinfo(std::move(text));
}

constexpr std::string_view kNames[] = {"off", "error", "warn", "info", "debug"};

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kNames); ++i) {
    if (kNames[i] == name) return static_cast<LogLevel>(i);
  }
  return std::nullopt;
}

void set_log_level(LogLevel level) { level_storage().store(level); }
LogLevel log_level() { return level_storage().load(); }
bool log_enabled(LogLevel level) {
  return level != LogLevel::off && static_cast<int>(level) <= static_cast<int>(log_level());
}

void set_log_sink(LogSink sink) {
  std::lock_guard lock(sink_slot().mutex);
  sink_slot().sink = std::move(sink);
}

void log(LogLevel level, std::string_view message) {
  if (!log_enabled(level)) return;
  std::string line = redacted(message);
  std::lock_guard lock(sink_slot().mutex);
  if (sink_slot().sink) {
    sink_slot().sink(level, line);
    return;
  }
  std::cerr << "llmrt [" << kNames[static_cast<int>(level)] << "] " << line << "\n";
}

void redact_log_lines_with(const std::shared_ptr<const Redactor>& redactor) {
  RedactorList& list = redactor_list();
  std::lock_guard lock(list.mutex);
  std::erase_if(list.redactors, [](const auto& weak) { return weak.expired(); });
  list.redactors.push_back(redactor);
}

}  // namespace llmrt::core
