// `llmrt plugins` given a plugin built against SDK headers whose types have another layout
// (tests/fixture_plugins, "stale_layout"): reported and skipped, the other plugins still listed.
#include <gtest/gtest.h>

#include <string>

#include "support/contains.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

using test::contains;
using test::run_process;

TEST(PluginLayoutCli, APluginWithAnotherLayoutIsSkippedNamingTheType) {
  const std::string dir = std::string(LLMRT_TEST_FIXTURE_DIR) + "/stale_layout";
  test::ProcessResult r = run_process({LLMRT_TEST_CLI, "--plugin", dir, "plugins"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(
      r.err, "llmrt: skipped plugin (layout_mismatch): " + dir + "/libfixture_stale_layout.so: "))
      << r.err;
  EXPECT_TRUE(contains(r.err, "ErrorInfo differs")) << r.err;
  EXPECT_FALSE(contains(r.out, "fixture")) << r.out;
  EXPECT_TRUE(contains(r.out, "openai")) << r.out;  // the others are still there
}

}  // namespace
}  // namespace llmrt
