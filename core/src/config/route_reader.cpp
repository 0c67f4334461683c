#include "config/route_reader.h"

namespace llmrt::core {
namespace {

using Value = ConfigReader::Value;

// A weight is a share, not a count: a million to one is already more than a spread can show.
constexpr long long kMaxWeight = 1'000'000;

std::string index_path(const std::string& path, rapidjson::SizeType i) {
  return path + "[" + std::to_string(i) + "]";
}

RouteTarget read_target(const ConfigReader& r, const Value& v, const std::string& path) {
  if (v.IsString()) return {r.string(v, path)};
  if (!v.IsObject()) r.fail(path, "a model name or {\"model\": name, \"weight\": N}", &v);
  r.object(v, path, {"model", "weight"});
  RouteTarget target;
  target.model = r.string(r.required(v, "model", path, "the target's model name"), path + ".model");
  if (v.HasMember("weight")) {
    const Value& weight = v["weight"];
    if (!weight.IsInt64() || weight.GetInt64() < 1 || weight.GetInt64() > kMaxWeight) {
      r.fail(path + ".weight", "an integer from 1 to " + std::to_string(kMaxWeight), &weight);
    }
    target.weight = static_cast<unsigned>(weight.GetInt64());
  }
  return target;
}

std::vector<RouteTarget> read_targets(const ConfigReader& r, const Value& v,
                                      const std::string& path) {
  if (!v.IsArray() || v.Empty()) r.fail(path, "a non-empty array of targets", &v);
  std::vector<RouteTarget> targets;
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    targets.push_back(read_target(r, v[i], index_path(path, i)));
  }
  return targets;
}

std::vector<std::string> read_fallbacks(const ConfigReader& r, const Value& v,
                                        const std::string& path) {
  if (!v.IsArray()) r.fail(path, "an array of model or route names", &v);
  std::vector<std::string> names;
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    names.push_back(r.string(v[i], index_path(path, i)));
  }
  return names;
}

// The kinds "on" takes: every error kind but `cancelled`, which the caller asked for.
std::string on_kinds() {
  std::string names;
  for (int k = 0; k <= static_cast<int>(ErrorKind::cancelled); ++k) {
    const auto kind = static_cast<ErrorKind>(k);
    if (kind == ErrorKind::cancelled) continue;
    names += (names.empty() ? "" : ", ") + std::string(to_string(kind));
  }
  return names;
}

std::map<ErrorKind, std::string> read_on(const ConfigReader& r, const Value& v,
                                         const std::string& path) {
  if (!v.IsObject()) r.fail(path, "an object of error kinds to model or route names", &v);
  std::map<ErrorKind, std::string> on;
  for (const auto& m : v.GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    std::string at = path + "." + name;
    auto kind = error_kind_from_string(name);
    if (kind == ErrorKind::cancelled) {
      r.error(at,
              "a cancelled call stops; it is not sent elsewhere (error kinds: " + on_kinds() + ")");
    }
    if (!kind) r.fail(at, "an error kind (" + on_kinds() + ")");
    on[*kind] = r.string(m.value, at);
  }
  return on;
}

std::string strategies() {
  std::string names;
  for (int s = 0; s <= static_cast<int>(RouteStrategy::lowest_latency); ++s) {
    names += (names.empty() ? "" : ", ") + std::string(to_string(static_cast<RouteStrategy>(s)));
  }
  return names;
}

}  // namespace

RouteConfig read_route(const ConfigReader& r, const Value& v, const std::string& path) {
  r.object(v, path, {"targets", "strategy", "fallbacks", "on", "when_all_cooling"});
  RouteConfig route;
  route.targets = read_targets(r, r.required(v, "targets", path, "a non-empty array of targets"),
                               path + ".targets");
  for (const auto& m : v.GetObject()) {
    std::string key = m.name.GetString();
    std::string at = path + "." + key;
    const Value& x = m.value;
    if (key == "strategy") {
      auto strategy = route_strategy_from_string(r.string(x, at));
      if (!strategy) r.fail(at, "a strategy (" + strategies() + ")", &x);
      route.strategy = *strategy;
    } else if (key == "fallbacks") {
      route.fallbacks = read_fallbacks(r, x, at);
    } else if (key == "on") {
      route.on = read_on(r, x, at);
    } else if (key == "when_all_cooling") {
      std::string when = r.string(x, at);
      if (when != "wait" && when != "fail") r.fail(at, "\"wait\" or \"fail\"", &x);
      route.when_all_cooling = when == "wait" ? WhenAllCooling::wait : WhenAllCooling::fail;
    }
  }
  return route;
}

}  // namespace llmrt::core
