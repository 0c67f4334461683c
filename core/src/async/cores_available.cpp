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

// The most read of /proc/self/cgroup (a line a hierarchy) and of /proc/self/mountinfo (a line a
// mount, thousands on a busy host): a table cut short leaves out what it cut, never misreads.
constexpr std::size_t kMostCgroupBytes = std::size_t{64} << 10;
constexpr std::size_t kMostMountBytes = std::size_t{1} << 20;

// A file's first `most` bytes at most, enough for the cgroup files read here; nullopt when it
// cannot be read (absent, a directory, no permission). Read a block at a time: a mount table is a
// few KiB, and a batch asks for every start.
std::optional<std::string> read_start(const fs::path& file, std::size_t most = 4096) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text;
  char block[4096];
  while (text.size() < most) {
    in.read(block, static_cast<std::streamsize>(std::min(sizeof block, most - text.size())));
    text.append(block, static_cast<std::size_t>(in.gcount()));
    if (!in) break;
  }
  if (in.bad()) return std::nullopt;
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

// The items of a list separated by `separator`.
std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> items;
  while (true) {
    const std::size_t at = text.find(separator);
    items.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return items;
    text.remove_prefix(at + 1);
  }
}

bool lists_cpu(std::string_view list) {
  const std::vector<std::string_view> items = split(list, ',');
  return std::find(items.begin(), items.end(), "cpu") != items.end();
}

// mountinfo writes a space, a tab, a newline and a backslash in a path as \ooo.
std::string unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && text.size() - i > 3 &&
        std::all_of(text.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                    text.begin() + static_cast<std::ptrdiff_t>(i) + 4,
                    [](char c) { return c >= '0' && c <= '7'; })) {
      out += static_cast<char>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 +
                               (text[i + 3] - '0'));
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

// A cgroup hierarchy as mounted: cgroup2, or v1's with the cpu controller.
struct CgroupMount {
  bool v2 = false;
  fs::path root;   // the cgroup shown at the mount point
  fs::path point;  // where it is mounted
};

// From /proc/self/mountinfo: "ID PARENT MAJOR:MINOR ROOT POINT OPTIONS [OPTIONAL...] - TYPE
// SOURCE SUPER-OPTIONS" (proc(5)).
std::vector<CgroupMount> cgroup_mounts(std::string_view text) {
  std::vector<CgroupMount> mounts;
  for (std::string_view line : split(text, '\n')) {
    const std::vector<std::string_view> fields = split(line, ' ');
    const auto dash = std::find(fields.begin(), fields.end(), "-");
    if (dash - fields.begin() < 6 || fields.end() - dash < 4) continue;
    const std::string_view type = dash[1];
    const bool v2 = type == "cgroup2";
    if (!v2 && !(type == "cgroup" && lists_cpu(dash[3]))) continue;
    mounts.push_back({v2, fs::path(unescape(fields[3])), fs::path(unescape(fields[4]))});
  }
  return mounts;
}

// `cgroup` below `root`, or nullopt when it is not below it (a cgroup outside the mount's view,
// or a path that climbs with "..").
std::optional<fs::path> below(const fs::path& cgroup, const fs::path& root) {
  // Before normalising, which drops a ".." right after the root: the kernel writes "/../x" for a
  // cgroup above the namespace's root.
  if (std::find(cgroup.begin(), cgroup.end(), "..") != cgroup.end()) return std::nullopt;
  // Their parts, without the empty one a trailing separator leaves.
  auto parts = [](const fs::path& path) {
    std::vector<fs::path> out;
    for (const fs::path& part : path.lexically_normal()) {
      if (!part.empty() && part != ".") out.push_back(part);
    }
    return out;
  };
  const std::vector<fs::path> path = parts(cgroup);
  const std::vector<fs::path> base = parts(root);
  if (base.size() > path.size() || !std::equal(base.begin(), base.end(), path.begin())) {
    return std::nullopt;
  }
  fs::path rest;
  for (auto p = path.begin() + static_cast<std::ptrdiff_t>(base.size()); p != path.end(); ++p) {
    if (*p != "/") rest /= *p;
  }
  return rest;
}

// The smallest limit from the mount point down to the cgroup's own folder: a parent's quota
// holds for all below it.
template <class Limit>
std::optional<std::size_t> smallest_along(const fs::path& point, const fs::path& rest,
                                          Limit limit) {
  std::optional<std::size_t> smallest = limit(point);
  fs::path dir = point;
  for (const fs::path& part : rest) {
    dir /= part;
    if (const std::optional<std::size_t> here = limit(dir)) {
      smallest = smallest ? std::min(*smallest, *here) : *here;
    }
  }
  return smallest;
}

}  // namespace

std::optional<std::size_t> cgroup_cpu_limit(const fs::path& proc_self_cgroup,
                                            const fs::path& proc_self_mountinfo) {
  const std::optional<std::string> cgroups = read_start(proc_self_cgroup, kMostCgroupBytes);
  const std::optional<std::string> mountinfo = read_start(proc_self_mountinfo, kMostMountBytes);
  if (!cgroups || !mountinfo) return std::nullopt;
  const std::vector<CgroupMount> mounts = cgroup_mounts(*mountinfo);
  std::optional<std::size_t> smallest;
  for (std::string_view line : split(*cgroups, '\n')) {
    // hierarchy-ID:controller-list:cgroup-path (cgroups(7)); the path may hold colons.
    const std::size_t first = line.find(':');
    const std::size_t second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second == std::string_view::npos) continue;
    const bool v2 = line.substr(0, first) == "0" && second == first + 1;
    if (!v2 && !lists_cpu(line.substr(first + 1, second - first - 1))) continue;
    const fs::path cgroup(std::string(line.substr(second + 1)));
    for (const CgroupMount& mount : mounts) {
      if (mount.v2 != v2) continue;
      const std::optional<fs::path> rest = below(cgroup, mount.root);
      if (!rest) continue;
      const std::optional<std::size_t> limit = v2 ? smallest_along(mount.point, *rest, v2_limit)
                                                  : smallest_along(mount.point, *rest, v1_limit);
      if (limit) smallest = smallest ? std::min(*smallest, *limit) : *limit;
      break;  // the same hierarchy mounted again elsewhere says no more
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
          cgroup_cpu_limit("/proc/self/cgroup", "/proc/self/mountinfo")) {
    cores = std::min(cores, *limit);
  }
  return cores;
}

}  // namespace llmrt::core
