// Who prints llmrt's warnings: a host program's stderr stays its own unless it asks (LLMRT_LOG,
// set_log_level), while the llmrt command shows them. The warning comes from a key taken out
// after a 401, through the real stream_hello example, the real CLI and the real plugin.
#include <gtest/gtest.h>

#include <cstdlib>

#include "llmrt/mock/mock_server.h"
#include "support/cli_args.h"
#include "support/contains.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

using test::contains;

using test::run_process;

class LogDefault : public ::testing::Test {
 protected:
  LogDefault() {
    unsetenv("LLMRT_LOG");
    mock::Scenario rejected;
    rejected.status = 401;
    server_.push(rejected);
  }
  ~LogDefault() override { unsetenv("LLMRT_LOG"); }
  mock::MockServer server_;
};

TEST_F(LogDefault, AHostProgramGetsNoLibraryLinesOnItsStderr) {
  test::ProcessResult r =
      run_process({LLMRT_TEST_STREAM_HELLO, server_.base_url() + "/v1", "sk-quiet-host-0001"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(contains(r.err, "rejected as invalid")) << r.err;  // the program's own report
  EXPECT_FALSE(contains(r.err, "llmrt [")) << r.err;
}

TEST_F(LogDefault, AHostProgramThatAsksThroughTheEnvironmentGetsWarnings) {
  setenv("LLMRT_LOG", "warn", 1);
  test::ProcessResult r =
      run_process({LLMRT_TEST_STREAM_HELLO, server_.base_url() + "/v1", "sk-quiet-host-0001"});
  EXPECT_TRUE(contains(r.err, "llmrt [warn] key …0001 taken out: auth")) << r.err;
}

TEST_F(LogDefault, TheCommandShowsWarnings) {
  test::ProcessResult r = run_process(test::chat_argv(LLMRT_TEST_CLI, server_.base_url(), {"hi"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(contains(r.err, "llmrt [warn] key …")) << r.err;
}

TEST_F(LogDefault, TheCommandIsQuietWhenTold) {
  std::vector<std::string> argv = test::chat_argv(LLMRT_TEST_CLI, server_.base_url(), {"hi"});
  argv.insert(argv.begin() + 1, {"--log-level", "off"});
  test::ProcessResult r = run_process(argv);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_FALSE(contains(r.err, "llmrt [")) << r.err;
}

}  // namespace
}  // namespace llmrt
