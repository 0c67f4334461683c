// `llmrt test-plugin PLUGIN DIR [--update]` through the real binary and the real plugins.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>

#include "support/run_process.h"
#include "support/temp_dir.h"

namespace llmrt {
namespace {

namespace fs = std::filesystem;
using test::run_process;

const std::string kOpenAiPlugin = std::string(LLMRT_TEST_PLUGIN_DIR) + "/libllmrt_openai.so";
const std::string kOpenAiCases = std::string(LLMRT_TEST_DATA_DIR) + "/openai";

TEST(TestPluginCli, PassingFolderPrintsOneLinePerCaseAndExitsZero) {
  auto r = run_process({LLMRT_TEST_CLI, "test-plugin", kOpenAiPlugin, kOpenAiCases});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("ok   basic\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ok   tool_calls\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ok   azure_stream\n"), std::string::npos) << r.out;
  // One line per case, and a summary that counts them all.
  std::smatch summary;
  ASSERT_TRUE(
      std::regex_search(r.out, summary, std::regex(R"((\d+) cases, (\d+) passed, 0 failed)")))
      << r.out;
  EXPECT_EQ(summary[1].str(), summary[2].str());
  const auto lines = static_cast<std::size_t>(std::count(r.out.begin(), r.out.end(), '\n') -
                                              1);  // the case lines, then the summary
  EXPECT_EQ(std::to_string(lines), summary[1].str()) << r.out;
}

TEST(TestPluginCli, AFailingCaseShowsItsFirstDifferenceAndExitsOne) {
  test::TempDir dir("test-plugin");
  fs::copy(kOpenAiCases, dir.path(), fs::copy_options::recursive);
  dir.write("basic.events.jsonl",
            "{\"type\":\"delta\",\"content\":\"Hel\"}\n{\"type\":\"delta\",\"content\":\"lo\"}\n");
  auto r = run_process({LLMRT_TEST_CLI, "test-plugin", kOpenAiPlugin, dir.path()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL basic: basic.events.jsonl:2: expected "
                       "{\"type\":\"delta\",\"content\":\"lo\"}, got "
                       "{\"type\":\"delta\",\"content\":\"lo, 世界\"}"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("ok   tool_calls\n"), std::string::npos) << r.out;
}

TEST(TestPluginCli, UpdateWritesTheGoldenFilesThatThenPass) {
  test::TempDir dir("test-plugin-update");
  fs::copy_file(kOpenAiCases + "/basic.sse", dir.path() + "/basic.sse");
  auto r = run_process({LLMRT_TEST_CLI, "test-plugin", kOpenAiPlugin, dir.path()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("basic.events.jsonl: missing"), std::string::npos) << r.out;
  r = run_process({LLMRT_TEST_CLI, "test-plugin", kOpenAiPlugin, dir.path(), "--update"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::ifstream golden(dir.path() + "/basic.events.jsonl");
  std::string first;
  std::getline(golden, first);
  EXPECT_EQ(first, R"({"type":"delta","content":"Hel"})");
  r = run_process({LLMRT_TEST_CLI, "test-plugin", kOpenAiPlugin, dir.path()});
  EXPECT_EQ(r.exit_code, 0) << r.out;
}

TEST(TestPluginCli, MissingFolderOrNotAPluginIsAUsageError) {
  auto r = run_process({LLMRT_TEST_CLI, "test-plugin", kOpenAiPlugin, "/nonexistent/cases"});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("no folder of test cases at /nonexistent/cases"), std::string::npos)
      << r.err;
  test::TempDir dir("test-plugin-bad");
  const std::string not_a_plugin = dir.write("plugin.so", "not an ELF file");
  r = run_process({LLMRT_TEST_CLI, "test-plugin", not_a_plugin, kOpenAiCases});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("plugin.so"), std::string::npos) << r.err;
  r = run_process({LLMRT_TEST_CLI, "test-plugin", kOpenAiPlugin});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace llmrt
