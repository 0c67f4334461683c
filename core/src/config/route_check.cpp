#include "config/route_check.h"

#include <map>
#include <set>
#include <string_view>
#include <vector>

namespace llmrt::core {
namespace {

// A name a route gives, and where.
struct Reference {
  const std::string* name;
  std::string path;
};

std::vector<Reference> references(const std::string& route_name, const RouteConfig& route) {
  const std::string path = "$.routes." + route_name;
  std::vector<Reference> refs;
  for (std::size_t i = 0; i < route.targets.size(); ++i) {
    refs.push_back({&route.targets[i].model, path + ".targets[" + std::to_string(i) + "]"});
  }
  for (std::size_t i = 0; i < route.fallbacks.size(); ++i) {
    refs.push_back({&route.fallbacks[i], path + ".fallbacks[" + std::to_string(i) + "]"});
  }
  for (const auto& [kind, name] : route.on) {
    refs.push_back({&name, path + ".on." + std::string(to_string(kind))});
  }
  return refs;
}

// The names of a map, shortened: an error is read by a person.
template <typename Map>
std::string name_list(const Map& map) {
  constexpr std::size_t kShown = 20;
  if (map.empty()) return "none";
  std::string names;
  std::size_t n = 0;
  for (const auto& entry : map) {
    if (n++ == kShown) return names + ", … (" + std::to_string(map.size()) + " in all)";
    names += (names.empty() ? "" : ", ") + entry.first;
  }
  return names;
}

void check_names(const ConfigReader& r, const RuntimeConfig& config) {
  for (const auto& [name, route] : config.routes) {
    if (config.models.count(name) != 0) {
      r.error("$.routes." + name, "\"" + name + "\" is also a model ($.models." + name +
                                      "); a name must stand for one or the other");
    }
  }
  for (const auto& [route_name, route] : config.routes) {
    for (const Reference& ref : references(route_name, route)) {
      if (config.models.count(*ref.name) == 0 && config.routes.count(*ref.name) == 0) {
        r.fail_name(ref.path,
                    "a model or route name (models: " + name_list(config.models) +
                        "; routes: " + name_list(config.routes) + ")",
                    *ref.name);
      }
    }
    std::map<std::string_view, std::size_t> seen;
    for (std::size_t i = 0; i < route.targets.size(); ++i) {
      auto [at, fresh] = seen.emplace(route.targets[i].model, i);
      if (!fresh) {
        r.error("$.routes." + route_name + ".targets[" + std::to_string(i) + "]",
                "\"" + route.targets[i].model + "\" is already targets[" +
                    std::to_string(at->second) + "]; give that one a larger weight instead");
      }
    }
    for (std::size_t i = 0; i < route.fallbacks.size(); ++i) {
      if (route.fallbacks[i] == route_name) {
        r.error("$.routes." + route_name + ".fallbacks[" + std::to_string(i) + "]",
                "a route cannot fall back to itself");
      }
    }
  }
}

// Depth first without recursion (a file may chain many routes); a route met again while it is
// still open closes a cycle.
void check_cycles(const ConfigReader& r, const RuntimeConfig& config) {
  enum class Mark { open, done };
  struct Frame {
    std::string_view name;
    std::vector<Reference> refs;
    std::size_t next = 0;
  };
  std::map<std::string_view, Mark> marks;
  for (const auto& [start, start_route] : config.routes) {
    if (marks.count(start) != 0) continue;
    std::vector<Frame> stack;
    stack.push_back({start, references(start, start_route)});
    marks[start] = Mark::open;
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next == top.refs.size()) {
        marks[top.name] = Mark::done;
        stack.pop_back();
        continue;
      }
      const Reference& ref = top.refs[top.next++];
      auto route = config.routes.find(*ref.name);
      if (route == config.routes.end()) continue;  // a model ends the path
      auto mark = marks.find(route->first);
      if (mark != marks.end() && mark->second == Mark::done) continue;
      if (mark != marks.end()) {
        std::string cycle;
        bool in_cycle = false;
        for (const Frame& f : stack) {
          in_cycle = in_cycle || f.name == route->first;
          if (in_cycle) cycle += std::string(f.name) + " -> ";
        }
        r.error(ref.path, "routes form a cycle: " + cycle + route->first);
      }
      marks[route->first] = Mark::open;
      stack.push_back({route->first, references(route->first, route->second)});
    }
  }
}

}  // namespace

void check_routes(const ConfigReader& r, const RuntimeConfig& config) {
  check_names(r, config);
  check_cycles(r, config);
}

}  // namespace llmrt::core
