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

// The CPU quota of the process's cgroups, in whole cores rounded up, the smallest along each
// cgroup's path up to the root its mount shows; nullopt when none is set or none can be read.
// `proc_self_cgroup` and `proc_self_mountinfo` are in the formats of /proc/self/cgroup and
// /proc/self/mountinfo: a cgroup's folder is its mount point joined with its path less the
// mount's root (a container without a cgroup namespace mounts its own cgroup as the root). cgroup
// v2: cpu.max; v1, the hierarchy with the cpu controller: cpu.cfs_quota_us over cpu.cfs_period_us.
// A cgroup outside every mount's root is not read.
std::optional<std::size_t> cgroup_cpu_limit(const std::filesystem::path& proc_self_cgroup,
                                            const std::filesystem::path& proc_self_mountinfo);

}  // namespace llmrt::core
