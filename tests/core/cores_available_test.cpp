// The cores a batch's loops are counted by: the affinity cut to the cgroup's CPU quota, read
// from trees laid out as the kernel lays out cgroup v1 and v2, found through mount tables as
// /proc/self/mountinfo writes them (the real cgroup is tried by
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
  // Writes `text` to `file` under the fake tree, making its folders.
  void put(const std::string& file, const std::string& text) const {
    const fs::path path = tree() / file;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }
  // A mountinfo line for a cgroup hierarchy showing `root` at `point` (under the fake tree).
  std::string mount(const std::string& root, const std::string& point, const std::string& type,
                    const std::string& options) const {
    return "31 30 0:28 " + root + " " + (tree() / point).string() + " rw,relatime - " + type + " " +
           type + " " + options + "\n";
  }
  std::string v2_at(const std::string& point) const {
    return mount("/", point, "cgroup2", "rw,nsdelegate");
  }
  std::string v1_cpu_at(const std::string& point, const std::string& root = "/") const {
    return mount(root, point, "cgroup", "rw,cpu,cpuacct");
  }
  std::optional<std::size_t> limit(const std::string& cgroups, const std::string& mounts) const {
    std::ofstream(dir() / "cgroup", std::ios::binary) << cgroups;
    std::ofstream(dir() / "mountinfo", std::ios::binary) << mounts;
    return cgroup_cpu_limit(dir() / "cgroup", dir() / "mountinfo");
  }
  fs::path dir() const { return dir_.path(); }
  fs::path tree() const { return dir() / "sys"; }

  test::TempDir dir_;
};

TEST_F(CgroupTree, V2QuotaIsRoundedUpToWholeCores) {
  const std::string mounts = v2_at("cg");
  put("cg/app/cpu.max", "150000 100000\n");
  EXPECT_EQ(limit("0::/app\n", mounts), 2U);
  put("cg/app/cpu.max", "100000 100000\n");
  EXPECT_EQ(limit("0::/app\n", mounts), 1U);
  put("cg/app/cpu.max", "1000 100000\n");  // a hundredth of a core is still one loop
  EXPECT_EQ(limit("0::/app\n", mounts), 1U);
  put("cg/app/cpu.max", "max 100000\n");
  EXPECT_EQ(limit("0::/app\n", mounts), std::nullopt);
}

TEST_F(CgroupTree, AParentsQuotaHoldsBelowIt) {
  const std::string mounts = v2_at("cg");
  put("cg/a/cpu.max", "100000 100000\n");
  put("cg/a/b/cpu.max", "400000 100000\n");
  EXPECT_EQ(limit("0::/a/b\n", mounts), 1U);
  put("cg/a/cpu.max", "max 100000\n");
  EXPECT_EQ(limit("0::/a/b\n", mounts), 4U);
  // The cpu controller not enabled below: no cpu.max there, the parent's holds.
  EXPECT_EQ(limit("0::/a/b/c\n", mounts), 4U);
}

TEST_F(CgroupTree, V1TheHierarchyWithTheCpuController) {
  const std::string mounts = mount("/", "memory", "cgroup", "rw,memory") +
                             mount("/", "cpuset", "cgroup", "rw,cpuset") + v1_cpu_at("cpu,cpuacct");
  put("cpu,cpuacct/job/cpu.cfs_quota_us", "250000\n");
  put("cpu,cpuacct/job/cpu.cfs_period_us", "100000\n");
  put("memory/job/cpu.cfs_quota_us", "100000\n");  // not the cpu hierarchy's: not read
  put("memory/job/cpu.cfs_period_us", "100000\n");
  EXPECT_EQ(
      limit("5:memory:/job\n3:cpuset:/job\n4:cpu,cpuacct:/job\n1:name=systemd:/job\n", mounts), 3U);
  put("cpu,cpuacct/job/cpu.cfs_quota_us", "-1\n");
  EXPECT_EQ(limit("4:cpu,cpuacct:/job\n", mounts), std::nullopt);
  // cpuset and cpuacct are not cpu.
  put("cpu,cpuacct/job/cpu.cfs_quota_us", "50000\n");
  EXPECT_EQ(limit("3:cpuset:/job\n2:cpuacct:/job\n", mounts), std::nullopt);
}

// A container without a cgroup namespace: /proc/self/cgroup names the path on the host, and the
// mount shows the container's cgroup at its root. A cgroup made below it keeps its own quota.
TEST_F(CgroupTree, AMountOfAContainersOwnCgroup) {
  for (const char* root : {"/docker/0123abcd", "/docker/0123abcd/"}) {
    const std::string mounts = v1_cpu_at("cpu", root);
    put("cpu/cpu.cfs_quota_us", "400000\n");
    put("cpu/cpu.cfs_period_us", "100000\n");
    EXPECT_EQ(limit("2:cpu,cpuacct:/docker/0123abcd\n", mounts), 4U) << root;
    put("cpu/child/cpu.cfs_quota_us", "50000\n");
    put("cpu/child/cpu.cfs_period_us", "100000\n");
    EXPECT_EQ(limit("2:cpu,cpuacct:/docker/0123abcd/child\n", mounts), 1U) << root;
  }
  const std::string mounts = v1_cpu_at("cpu", "/docker/0123abcd");
  // A cgroup outside what the mount shows says nothing of this process's quota.
  EXPECT_EQ(limit("2:cpu,cpuacct:/docker/ffff\n", mounts), std::nullopt);
  EXPECT_EQ(limit("2:cpu,cpuacct:/docker/0123abcd/../ffff\n", mounts), std::nullopt);
}

// With a cgroup namespace, a path of ".." is a cgroup outside the namespace's root: not read.
TEST_F(CgroupTree, APathAboveTheNamespaceIsNotRead) {
  const std::string mounts = v2_at("cg");
  put("cg/cpu.max", "100000 100000\n");
  EXPECT_EQ(limit("0::/\n", mounts), 1U);
  EXPECT_EQ(limit("0::/../elsewhere\n", mounts), std::nullopt);
}

TEST_F(CgroupTree, TheSmallerOfV1AndV2) {
  const std::string mounts = v1_cpu_at("cpu") + v2_at("unified");
  put("unified/svc/cpu.max", "300000 100000\n");
  put("cpu/svc/cpu.cfs_quota_us", "200000\n");
  put("cpu/svc/cpu.cfs_period_us", "100000\n");
  EXPECT_EQ(limit("1:cpu,cpuacct:/svc\n0::/svc\n", mounts), 2U);
}

// On a cgroup v2 system a top-level cgroup may be called "unified": it is a sibling, not the
// hierarchy.
TEST_F(CgroupTree, AFolderIsReadOnlyWhereTheMountTableSays) {
  const std::string mounts = v2_at("cg");
  put("cg/unified/cpu.max", "100000 100000\n");
  EXPECT_EQ(limit("0::/app\n", mounts), std::nullopt);
  put("cpu/app/cpu.cfs_quota_us", "100000\n");  // no cpu hierarchy is mounted there
  put("cpu/app/cpu.cfs_period_us", "100000\n");
  EXPECT_EQ(limit("1:cpu:/app\n0::/app\n", mounts), std::nullopt);
}

TEST_F(CgroupTree, AMountPointWithASpace) {
  put("my cgroups/app/cpu.max", "200000 100000\n");
  std::string point = (tree() / "my cgroups").string();
  point.replace(point.find(' '), 1, "\\040");  // as mountinfo writes it
  EXPECT_EQ(limit("0::/app\n", "40 30 0:37 / " + point + " rw - cgroup2 cgroup2 rw\n"), 2U);
}

TEST_F(CgroupTree, WhatCannotBeReadLimitsNothing) {
  const std::string mounts = v2_at("cg") + v1_cpu_at("cpu");
  EXPECT_EQ(limit("", mounts), std::nullopt);
  EXPECT_EQ(limit("no colons here\n::\n0:\n", mounts), std::nullopt);
  EXPECT_EQ(limit("0::/a\n", "garbage\n- cgroup2\n1 2 3 4 5 6 -\n\n"), std::nullopt);
  put("cg/a/cpu.max", "abc def\n");
  EXPECT_EQ(limit("0::/a\n", mounts), std::nullopt);
  put("cg/b/cpu.max", "");
  EXPECT_EQ(limit("0::/b\n", mounts), std::nullopt);
  put("cg/c/cpu.max", "100000 0\n");
  EXPECT_EQ(limit("0::/c\n", mounts), std::nullopt);
  put("cg/d/cpu.max", "-5 100000\n");
  EXPECT_EQ(limit("0::/d\n", mounts), std::nullopt);
  put("cg/e/cpu.max", "99999999999999999999999 100000\n");
  EXPECT_EQ(limit("0::/e\n", mounts), std::nullopt);
  fs::create_directories(tree() / "cg/f/cpu.max");  // a folder where the file should be
  EXPECT_EQ(limit("0::/f\n", mounts), std::nullopt);
  put("cpu/g/cpu.cfs_quota_us", "50000\n");  // no period
  EXPECT_EQ(limit("1:cpu:/g\n", mounts), std::nullopt);
  EXPECT_EQ(cgroup_cpu_limit(dir() / "no such file", dir() / "mountinfo"), std::nullopt);
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
