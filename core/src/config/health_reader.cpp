#include "config/health_reader.h"

namespace llmrt::core {
namespace {

// More failures than this before a cooldown is a mistake (and must fit HealthPolicy's int).
constexpr long long kMaxFailures = 1'000'000;
constexpr double kYear = 365.0 * 24 * 3600;

}  // namespace

HealthPolicy read_health(const ConfigReader& r, const ConfigReader::Value& v,
                         const std::string& path) {
  r.object(v, path, {"failures", "window", "cooldown"});
  HealthPolicy health;
  for (const auto& m : v.GetObject()) {
    std::string name = m.name.GetString();
    std::string at = path + "." + name;
    if (name == "failures") health.failures = static_cast<int>(r.count(m.value, at, kMaxFailures));
    if (name == "window") health.window = r.positive_seconds(m.value, at, kYear);
    if (name == "cooldown") health.cooldown = r.seconds(m.value, at);
  }
  return health;
}

}  // namespace llmrt::core
