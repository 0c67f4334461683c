#include "config/limits_reader.h"

#include <cmath>
#include <limits>
#include <string>

namespace llmrt::core {
namespace {

// The longest rate window: a budget over more than an hour says little about a minute.
constexpr double kMaxWindowSeconds = 3600;

// A budget holds whole requests and tokens in each window: a limit whose share of one window
// is below one unit would admit nothing, so it is refused with the window that would work.
void check_share(const ConfigReader& r, const std::string& path, const char* name,
                 long long per_minute, const char* unit, std::chrono::milliseconds window) {
  if (per_minute == 0) return;  // no limit
  const double share =
      static_cast<double>(per_minute) * static_cast<double>(window.count()) / 60'000.0;
  if (share >= 1) return;
  const auto shortest = static_cast<long long>(std::ceil(60.0 / static_cast<double>(per_minute)));
  r.error(path + "." + name, std::to_string(per_minute) + " per minute is less than one " + unit +
                                 " per window of " + seconds_text(window) +
                                 " s; make \"window\" at least " + std::to_string(shortest) +
                                 " seconds");
}

}  // namespace

void read_limits(const ConfigReader& r, const ConfigReader::Value& v, const std::string& path,
                 ModelConfig& model) {
  r.object(v, path,
           {"max_event_bytes", "max_body_bytes", "max_stream_bytes", "rpm", "tpm", "key_rpm",
            "key_tpm", "window"});
  RateLimits& rate = model.rate_limits;
  for (const auto& l : v.GetObject()) {
    std::string name = l.name.GetString();
    std::string at = path + "." + name;
    if (name == "window") {
      rate.window = r.positive_seconds(l.value, at, kMaxWindowSeconds);
      continue;
    }
    const long long value = r.count(l.value, at);
    // A size of 0 is no limit, as for the budgets: never a limit no reply could meet.
    const std::size_t bytes =
        value == 0 ? std::numeric_limits<std::size_t>::max() : static_cast<std::size_t>(value);
    if (name == "max_event_bytes") model.limits.max_event_bytes = bytes;
    if (name == "max_body_bytes") model.transport.max_body_bytes = bytes;
    if (name == "max_stream_bytes") model.transport.max_stream_bytes = bytes;
    if (name == "rpm") rate.rpm = value;
    if (name == "tpm") rate.tpm = value;
    if (name == "key_rpm") rate.key_rpm = value;
    if (name == "key_tpm") rate.key_tpm = value;
  }
  check_share(r, path, "rpm", rate.rpm, "request", rate.window);
  check_share(r, path, "tpm", rate.tpm, "token", rate.window);
  check_share(r, path, "key_rpm", rate.key_rpm, "request", rate.window);
  check_share(r, path, "key_tpm", rate.key_tpm, "token", rate.window);
}

}  // namespace llmrt::core
