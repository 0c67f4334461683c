// `llmrt batch` runs an event loop for each core it may use: the CPUs of its affinity, cut to its
// cgroup's CPU quota. Inside a cgroup given half a core it runs one loop, whatever the machine
// has. The cgroup is made for the test (as root: cgroup v1's cpu controller, or v2's cpu.max);
// where none can be made, that half is skipped and says why.
#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "apps/batch_cli_fixture.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

namespace fs = std::filesystem;
using test::BatchCli;

// A cgroup of its own with a CPU quota of half a core, removed at the end (empty by then: the
// processes put in it have ended).
class HalfCoreCgroup {
 public:
  HalfCoreCgroup() {
    const std::string name = "llmrt-test-" + std::to_string(::getpid());
    if (make(fs::path("/sys/fs/cgroup/cpu") / name, "cpu.cfs_quota_us", "50000")) return;
    if (make(fs::path("/sys/fs/cgroup") / name, "cpu.max", "50000 100000")) return;
    why_not_ = "no cgroup with a CPU quota can be made here (not root, or no cpu controller)";
  }
  ~HalfCoreCgroup() {
    std::error_code ec;
    if (!dir_.empty()) fs::remove(dir_, ec);  // rmdir: a cgroup's files go with it
  }
  HalfCoreCgroup(const HalfCoreCgroup&) = delete;
  HalfCoreCgroup& operator=(const HalfCoreCgroup&) = delete;

  bool made() const { return !dir_.empty(); }
  const std::string& why_not() const { return why_not_; }
  std::string procs() const { return (dir_ / "cgroup.procs").string(); }

 private:
  bool make(const fs::path& dir, const char* file, const char* quota) {
    std::error_code ec;
    if (!fs::is_directory(dir.parent_path(), ec) || !fs::create_directory(dir, ec)) return false;
    std::ofstream out(dir / file);
    out << quota << std::flush;
    if (!out) {
      fs::remove(dir, ec);
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

TEST_F(BatchCli, ALoopForEachCoreItsCpuQuotaAllows) {
  write_input(8);
  std::vector<std::string> argv = batch_argv({"--concurrency", "4"});
  argv.insert(argv.begin() + 1, {"--log-level", "debug"});

  const test::ProcessResult outside = test::run_process(argv);
  ASSERT_EQ(outside.exit_code, 0) << outside.err;
  const std::size_t loops = std::min<std::size_t>({affinity_cores(), 8, 4});
  EXPECT_NE(outside.err.find("4 conversations at a time on " + std::to_string(loops) +
                             (loops == 1 ? " event loop" : " event loops")),
            std::string::npos)
      << outside.err;
  EXPECT_EQ(output_ids().size(), 8U);

  HalfCoreCgroup cgroup;
  if (!cgroup.made()) GTEST_SKIP() << cgroup.why_not();
  fs::remove(output_);
  // The shell puts itself in the cgroup, then becomes llmrt (exec keeps it there).
  std::vector<std::string> in_cgroup{"/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
                                     cgroup.procs()};
  in_cgroup.insert(in_cgroup.end(), argv.begin(), argv.end());
  const test::ProcessResult inside = test::run_process(in_cgroup);
  ASSERT_EQ(inside.exit_code, 0) << inside.err;
  EXPECT_NE(inside.err.find("4 conversations at a time on 1 event loop (1 core available"),
            std::string::npos)
      << inside.err;
  EXPECT_EQ(output_ids().size(), 8U);
}

}  // namespace
}  // namespace llmrt
