#include "async/cores_available.h"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace llmrt::core {
namespace fs = std::filesystem;
namespace {

// A file's start, enough for any line of the cgroup files read here; nullopt when it cannot be
// read (absent, a directory, no permission).
std::optional<std::string> read_start(const fs::path& file, std::size_t most = 4096) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text(most, '\0');
  in.read(text.data(), static_cast<std::streamsize>(most));
  if (in.bad()) return std::nullopt;
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

std::optional<long long> parse_count(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Whole cores for `quota` of CPU time in each `period`, rounded up; nullopt for no limit.
std::optional<std::size_t> cores_for(std::optional<long long> quota,
                                     std::optional<long long> period) {
  if (!quota || !period || *quota <= 0 || *period <= 0) return std::nullopt;
  return static_cast<std::size_t>(std::max(1LL, *quota / *period + (*quota % *period != 0)));
}

// cgroup v2: "max 100000" (none) or "150000 100000".
std::optional<std::size_t> v2_limit(const fs::path& dir) {
  const std::optional<std::string> text = read_start(dir / "cpu.max");
  if (!text) return std::nullopt;
  const std::string_view line = std::string_view(*text).substr(0, text->find('\n'));
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  return cores_for(parse_count(line.substr(0, space)), parse_count(line.substr(space + 1)));
}

// cgroup v1: cpu.cfs_quota_us (-1: none) over cpu.cfs_period_us.
std::optional<std::size_t> v1_limit(const fs::path& dir) {
  const std::optional<std::string> quota = read_start(dir / "cpu.cfs_quota_us");
  if (!quota) return std::nullopt;
  const std::optional<std::string> period = read_start(dir / "cpu.cfs_period_us");
  if (!period) return std::nullopt;
  return cores_for(parse_count(*quota), parse_count(*period));
}

// The smallest limit from the cgroup's own folder up to the hierarchy's root (a parent's quota
// holds for all below it); only the root's when the cgroup's folder is not there.
template <class Limit>
std::optional<std::size_t> smallest_along(const fs::path& mount, std::string_view cgroup,
                                          Limit limit) {
  std::error_code ec;
  const fs::path below = fs::path(cgroup).relative_path().lexically_normal();
  fs::path dir = mount / below;
  // Not there, or a path that climbs out of the mount ("..", which no kernel writes): the root.
  if (below.empty() || *below.begin() == ".." || !fs::is_directory(dir, ec)) dir = mount;
  std::optional<std::size_t> smallest;
  for (;; dir = dir.parent_path()) {
    if (const std::optional<std::size_t> here = limit(dir)) {
      smallest = smallest ? std::min(*smallest, *here) : *here;
    }
    if (dir == mount || !dir.has_relative_path() || dir == dir.parent_path()) break;
  }
  return smallest;
}

bool lists_cpu(std::string_view controllers) {
  while (!controllers.empty()) {
    const std::size_t comma = controllers.find(',');
    if (controllers.substr(0, comma) == "cpu") return true;
    if (comma == std::string_view::npos) break;
    controllers.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::optional<std::size_t> cgroup_cpu_limit(const fs::path& proc_self_cgroup,
                                            const fs::path& cgroup_root) {
  const std::optional<std::string> text = read_start(proc_self_cgroup, 64 * 1024);
  if (!text) return std::nullopt;
  std::optional<std::size_t> smallest;
  auto take = [&](std::optional<std::size_t> limit) {
    if (limit) smallest = smallest ? std::min(*smallest, *limit) : *limit;
  };
  std::string_view rest = *text;
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    // hierarchy-ID:controller-list:cgroup-path (cgroups(7)); the path may hold colons.
    const std::size_t first = line.find(':');
    const std::size_t second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second == std::string_view::npos) continue;
    const std::string_view controllers = line.substr(first + 1, second - first - 1);
    const std::string_view cgroup = line.substr(second + 1);
    if (line.substr(0, first) == "0" && controllers.empty()) {
      // The unified hierarchy: at the root on a cgroup v2 system, under "unified" on a hybrid one.
      for (const fs::path& mount : {cgroup_root, cgroup_root / "unified"}) {
        take(smallest_along(mount, cgroup, v2_limit));
      }
    } else if (lists_cpu(controllers)) {
      std::error_code ec;
      fs::path mount = cgroup_root / std::string(controllers);  // "cpu,cpuacct"
      if (!fs::is_directory(mount, ec)) mount = cgroup_root / "cpu";
      take(smallest_along(mount, cgroup, v1_limit));
    }
  }
  return smallest;
}

std::size_t cores_available() {
  std::size_t cores = std::max(1U, std::thread::hardware_concurrency());
  cpu_set_t set;
  // More CPUs than a cpu_set_t holds fail this: then the count of them all stands.
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    cores = static_cast<std::size_t>(std::max(1, CPU_COUNT(&set)));
  }
  if (const std::optional<std::size_t> limit =
          cgroup_cpu_limit("/proc/self/cgroup", "/sys/fs/cgroup")) {
    cores = std::min(cores, *limit);
  }
  return cores;
}

}  // namespace llmrt::core
