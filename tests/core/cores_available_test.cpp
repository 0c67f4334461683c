// The cores a batch's loops are counted by: the affinity cut to the cgroup's CPU quota, read
// from trees laid out as the kernel lays out cgroup v1 and v2 (the real cgroup is tried by
// tests/apps/batch_cores_cli_test.cpp).
#include "async/cores_available.h"

#include <gtest/gtest.h>
#include <sched.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/temp_dir.h"

namespace llmrt::core {
namespace {

namespace fs = std::filesystem;

class CgroupTree : public ::testing::Test {
 protected:
  // Writes `text` to `file` under the fake /sys/fs/cgroup, making its folders.
  void put(const std::string& file, const std::string& text) const {
    const fs::path path = root() / file;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }
  std::optional<std::size_t> limit(const std::string& proc_self_cgroup) const {
    std::ofstream(proc(), std::ios::binary) << proc_self_cgroup;
    return cgroup_cpu_limit(proc(), root());
  }
  fs::path root() const { return fs::path(dir_.path()) / "cgroup"; }
  fs::path proc() const { return fs::path(dir_.path()) / "proc_self_cgroup"; }

  test::TempDir dir_;
};

TEST_F(CgroupTree, V2QuotaIsRoundedUpToWholeCores) {
  put("app/cpu.max", "150000 100000\n");
  EXPECT_EQ(limit("0::/app\n"), 2U);
  put("app/cpu.max", "100000 100000\n");
  EXPECT_EQ(limit("0::/app\n"), 1U);
  put("app/cpu.max", "1000 100000\n");  // a hundredth of a core is still one loop
  EXPECT_EQ(limit("0::/app\n"), 1U);
}

TEST_F(CgroupTree, V2MaxIsNoLimit) {
  put("app/cpu.max", "max 100000\n");
  EXPECT_EQ(limit("0::/app\n"), std::nullopt);
}

TEST_F(CgroupTree, AParentsQuotaHoldsBelowIt) {
  put("a/cpu.max", "100000 100000\n");
  put("a/b/cpu.max", "400000 100000\n");
  EXPECT_EQ(limit("0::/a/b\n"), 1U);
  put("a/cpu.max", "max 100000\n");
  EXPECT_EQ(limit("0::/a/b\n"), 4U);
}

TEST_F(CgroupTree, V1CfsQuotaUnderItsControllersFolder) {
  put("cpu,cpuacct/job/cpu.cfs_quota_us", "250000\n");
  put("cpu,cpuacct/job/cpu.cfs_period_us", "100000\n");
  EXPECT_EQ(limit("5:memory:/job\n4:cpu,cpuacct:/job\n1:name=systemd:/job\n"), 3U);
  put("cpu,cpuacct/job/cpu.cfs_quota_us", "-1\n");
  EXPECT_EQ(limit("4:cpu,cpuacct:/job\n"), std::nullopt);
}

TEST_F(CgroupTree, V1MountedAsCpuAlone) {
  put("cpu/job/cpu.cfs_quota_us", "50000\n");
  put("cpu/job/cpu.cfs_period_us", "100000\n");
  EXPECT_EQ(limit("2:cpuacct:/job\n1:cpu:/job\n"), 1U);
  // cpuacct alone limits nothing.
  EXPECT_EQ(limit("2:cpuacct:/job\n"), std::nullopt);
}

// A container shows its own cgroup at the mount's root while /proc/self/cgroup names its path
// on the host.
TEST_F(CgroupTree, APathThatIsNotThereIsReadAtTheRoot) {
  put("cpu.max", "200000 100000\n");
  EXPECT_EQ(limit("0::/docker/0123abcd\n"), 2U);
  // Nor is a path that climbs out of the mount followed there.
  fs::create_directories(fs::path(dir_.path()) / "elsewhere");
  std::ofstream(fs::path(dir_.path()) / "elsewhere/cpu.max") << "100000 100000\n";
  EXPECT_EQ(limit("0::/../elsewhere\n"), 2U);
}

TEST_F(CgroupTree, TheSmallerOfV1AndV2) {
  put("unified/svc/cpu.max", "300000 100000\n");
  put("cpu/svc/cpu.cfs_quota_us", "200000\n");
  put("cpu/svc/cpu.cfs_period_us", "100000\n");
  EXPECT_EQ(limit("1:cpu:/svc\n0::/svc\n"), 2U);
}

TEST_F(CgroupTree, WhatCannotBeReadLimitsNothing) {
  EXPECT_EQ(limit(""), std::nullopt);
  EXPECT_EQ(limit("no colons here\n::\n0:\n"), std::nullopt);
  put("a/cpu.max", "abc def\n");
  EXPECT_EQ(limit("0::/a\n"), std::nullopt);
  put("b/cpu.max", "");
  EXPECT_EQ(limit("0::/b\n"), std::nullopt);
  put("c/cpu.max", "100000 0\n");
  EXPECT_EQ(limit("0::/c\n"), std::nullopt);
  put("d/cpu.max", "-5 100000\n");
  EXPECT_EQ(limit("0::/d\n"), std::nullopt);
  fs::create_directories(root() / "e/cpu.max");  // a folder where the file should be
  EXPECT_EQ(limit("0::/e\n"), std::nullopt);
  put("cpu/f/cpu.cfs_quota_us", "50000\n");  // no period
  EXPECT_EQ(limit("1:cpu:/f\n"), std::nullopt);
  EXPECT_EQ(cgroup_cpu_limit(root() / "no such file", root()), std::nullopt);
}

TEST(CoresAvailable, AtLeastOneAndNoMoreThanTheAffinity) {
  cpu_set_t set;
  ASSERT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
  const std::size_t cores = cores_available();
  EXPECT_GE(cores, 1U);
  EXPECT_LE(cores, static_cast<std::size_t>(CPU_COUNT(&set)));
}

}  // namespace
}  // namespace llmrt::core
