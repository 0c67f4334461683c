#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>

namespace llmrt::core {

// The cores this thread's work can use at once: the CPUs it may run on (sched_getaffinity), cut
// to its cgroup's CPU quota rounded up. A container given two CPUs' worth of time on a 64-core
// host sees 64 CPUs in its affinity; a loop for each would each be throttled by the quota, with
// more epoll wake-ups and thread switches for the same work. At least 1.
std::size_t cores_available();

// The CPU quota of the cgroup `proc_self_cgroup` names (the format of /proc/self/cgroup), in
// whole cores rounded up, the smallest along its path to the hierarchy's root; nullopt when none
// is set or none can be read. cgroup v2 (cpu.max under `cgroup_root`) and v1 (cpu.cfs_quota_us
// and cpu.cfs_period_us under `cgroup_root`/cpu). A path that is not there (a container that
// shows its own cgroup at the mount's root) is read from the root.
std::optional<std::size_t> cgroup_cpu_limit(const std::filesystem::path& proc_self_cgroup,
                                            const std::filesystem::path& cgroup_root);

}  // namespace llmrt::core
