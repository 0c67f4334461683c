// `llmrt batch` runs an event loop for each core it may use: the CPUs of its affinity, cut to its
// cgroup's CPU quota. Inside a cgroup given half a core it runs one loop, whatever the machine
// has. The cgroup is made for the test (as root: cgroup v1's cpu controller, or v2's cpu.max);
// where none can be made, that half is skipped and says why.
#include <errno.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "apps/batch_cli_fixture.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

namespace fs = std::filesystem;
using test::BatchCli;

// A cgroup of its own with a CPU quota of half a core, removed at the end (empty by then: the
// processes put in it have ended). Made only where the parent is a real cgroup (on a v1 or hybrid
// system /sys/fs/cgroup itself is a writable tmpfs, where a folder would be no cgroup), and
// kept only when the kernel took the quota.
class HalfCoreCgroup {
 public:
  HalfCoreCgroup() {
    const std::string name = "llmrt-test-" + std::to_string(::getpid());
    const fs::path v1 = "/sys/fs/cgroup/cpu";
    const fs::path v2 = "/sys/fs/cgroup";
    if (exists(v1 / "cpu.cfs_quota_us") && make(v1 / name, "cpu.cfs_quota_us", "50000")) return;
    if (lists_cpu(v2 / "cgroup.subtree_control") && make(v2 / name, "cpu.max", "50000 100000")) {
      return;
    }
    why_not_ = "no cgroup with a CPU quota can be made here (not root, or no cpu controller)";
  }
  ~HalfCoreCgroup() {
    if (dir_.empty()) return;
    // rmdir; a process that has just ended may leave its cgroup a moment later (EBUSY).
    for (int i = 0; i < 100 && ::rmdir(dir_.c_str()) != 0 && errno == EBUSY; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  HalfCoreCgroup(const HalfCoreCgroup&) = delete;
  HalfCoreCgroup& operator=(const HalfCoreCgroup&) = delete;

  bool made() const { return !dir_.empty(); }
  const std::string& why_not() const { return why_not_; }
  std::string procs() const { return (dir_ / "cgroup.procs").string(); }

 private:
  static bool exists(const fs::path& path) {
    std::error_code ec;
    return fs::exists(path, ec);
  }
  static bool lists_cpu(const fs::path& subtree_control) {
    std::ifstream in(subtree_control);
    std::string controller;
    while (in >> controller) {
      if (controller == "cpu") return true;
    }
    return false;
  }
  bool make(const fs::path& dir, const char* file, const std::string& quota) {
    if (::mkdir(dir.c_str(), 0755) != 0) return false;
    {
      std::ofstream out(dir / file);
      out << quota << std::flush;
    }
    std::ifstream back(dir / file);
    std::string line;
    std::getline(back, line);
    if (line != quota || !exists(dir / "cgroup.procs")) {
      ::rmdir(dir.c_str());
      return false;
    }
    dir_ = dir;
    return true;
  }

  fs::path dir_;
  std::string why_not_;
};

std::size_t affinity_cores() {
  cpu_set_t set;
  return sched_getaffinity(0, sizeof set, &set) == 0 ? static_cast<std::size_t>(CPU_COUNT(&set))
                                                     : 1;
}

// The loops a run reported on stderr ("… at a time on N event loops"), or 0.
std::size_t loops_reported(const std::string& err) {
  const std::string mark = " conversations at a time on ";
  const std::size_t at = err.find(mark);
  return at == std::string::npos ? 0 : std::stoul(err.substr(at + mark.size()));
}

TEST_F(BatchCli, ALoopForEachCoreItsCpuQuotaAllows) {
  write_input(8);
  std::vector<std::string> argv = batch_argv({"--concurrency", "4"});
  argv.insert(argv.begin() + 1, {"--log-level", "debug"});

  // Where this runs may have a quota of its own: at most one loop a core, at most 4.
  const test::ProcessResult outside = test::run_process(argv);
  ASSERT_EQ(outside.exit_code, 0) << outside.err;
  const std::size_t loops = loops_reported(outside.err);
  EXPECT_GE(loops, 1U) << outside.err;
  EXPECT_LE(loops, std::min<std::size_t>(affinity_cores(), 4)) << outside.err;
  EXPECT_EQ(output_ids().size(), 8U);

  if (affinity_cores() < 2) GTEST_SKIP() << "one CPU: one loop with or without a quota";
  HalfCoreCgroup cgroup;
  if (!cgroup.made()) GTEST_SKIP() << cgroup.why_not();
  fs::remove(output_);
  // The shell puts itself in the cgroup, then becomes llmrt (exec keeps it there).
  std::vector<std::string> in_cgroup{"/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
                                     cgroup.procs()};
  in_cgroup.insert(in_cgroup.end(), argv.begin(), argv.end());
  const test::ProcessResult inside = test::run_process(in_cgroup);
  ASSERT_EQ(inside.exit_code, 0) << inside.err;
  EXPECT_EQ(loops_reported(inside.err), 1U) << inside.err;
  EXPECT_NE(inside.err.find("(threads 0: 1 core available)"), std::string::npos) << inside.err;
  EXPECT_EQ(output_ids().size(), 8U);
}

}  // namespace
}  // namespace llmrt
