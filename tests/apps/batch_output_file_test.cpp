// What `llmrt batch` does with the file it writes to, through the real CLI against the mock
// server: a file that is no earlier run's output is refused, never rewritten; a rewrite keeps
// a symbolic link, the file's permissions and every other file beside it; every id is in the
// output once, bad lines' included.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "batch_cli_fixture.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

using test::BatchCli;
using test::run_process;

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_F(BatchCli, AnOutputThatIsNoEarlierRunsIsRefusedAndLeftAsItWas) {
  write_input(3);
  for (const std::string& text :
       {std::string("important 1\nimportant 2\nlast line without newline"),
        std::string("{\"custom_id\":\"item-0\",\"response\":{}}\nnot ours\n"),
        std::string("plain text without a newline")}) {
    { std::ofstream(output_) << text; }
    auto r = run_process(batch_argv());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("not an output line of llmrt batch: give a new file"), std::string::npos)
        << r.err;
    EXPECT_EQ(file_text(output_), text);
  }
  EXPECT_EQ(server_.requests().size(), 0u);
}

// A line of ours longer than a rerun reads back (a reply over 64 MiB, with no body limit): its
// item runs again and the line goes, not the whole output refused.
TEST_F(BatchCli, AnOwnLineTooLongToReadBackIsRunAgainAndDropped) {
  write_input(2);
  ASSERT_EQ(run_process(batch_argv()).exit_code, 0);
  const std::string first_run = file_text(output_);
  // Its line, wherever it is: lines are written in the order items finish.
  const std::size_t at = first_run.find(R"({"custom_id":"item-0")");
  ASSERT_NE(at, std::string::npos) << first_run;
  const std::string item_0 = first_run.substr(at, first_run.find('\n', at) + 1 - at);
  {
    std::ofstream out(output_, std::ios::trunc);
    out << item_0 << R"({"custom_id":"item-1","response":{"content":")"
        << std::string(65 << 20, 'x') << "\"}}\n";
  }
  server_.clear_requests();
  auto r = run_process(batch_argv());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.requests().size(), 1u);
  auto ids = output_ids();
  EXPECT_EQ(ids.size(), 2u);
  for (const auto& [id, entry] : ids) EXPECT_EQ(entry.first, 1) << id;
  EXPECT_LT(std::filesystem::file_size(output_), 1u << 20);
}

TEST_F(BatchCli, ARewriteKeepsTheLinkThePermissionsAndTheFilesBesideIt) {
  write_input(4);
  const std::string real = dir_ + "/real.jsonl";
  output_ = real;
  ASSERT_EQ(run_process(batch_argv()).exit_code, 0);
  ASSERT_EQ(::chmod(real.c_str(), 0600), 0);
  { std::ofstream(real, std::ios::app) << R"({"custom_id":"item-9","resp)"; }  // cut by a crash
  const std::string link = dir_ + "/link.jsonl";
  std::filesystem::create_symlink(real, link);
  { std::ofstream(link + ".tmp") << "precious\n"; }
  output_ = link;
  write_input(5);
  // The metrics file's old fixed temporary name was the output's: it took the results away.
  auto r = run_process(batch_argv({"--metrics", dir_ + "/link"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  struct stat st {};
  ASSERT_EQ(::stat(real.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(file_text(link + ".tmp"), "precious\n");
  auto ids = output_ids();
  EXPECT_EQ(ids.size(), 5u);
  for (const auto& [id, entry] : ids) EXPECT_EQ(entry.first, 1) << id;
  EXPECT_EQ(server_.requests().size(), 5u);
  EXPECT_NE(file_text(dir_ + "/link").find("llmrt_calls_total"), std::string::npos);
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().find(".llmrt-"), std::string::npos)
        << "a temporary file left: " << entry.path();
  }
}

TEST_F(BatchCli, AMetricsFileThatIsNoRegularFileIsRefused) {
  write_input(1);
  const std::string fifo = dir_ + "/fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto r = run_process(batch_argv({"--metrics", fifo}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;
  struct stat st {};
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST_F(BatchCli, AnIdIsInTheOutputOnceWhenItsFirstLineIsBadOrItLooksMadeUp) {
  {
    std::ofstream in(input_);
    in << R"({"custom_id":"a","messages":"not an array"})"
       << "\n";
    in << R"({"custom_id":"a","messages":[{"role":"user","content":"hi"}]})"
       << "\n";
    in << "not json\n";
    in << R"({"custom_id":"line-3","messages":[{"role":"user","content":"hi"}]})"
       << "\n";
    in << R"({"custom_id":"line-6","messages":[{"role":"user","content":"hi"}]})"
       << "\n";
    in << "also not json\n";
  }
  auto r = run_process(batch_argv());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("in.jsonl:2: custom_id 'a' repeats line 1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("in.jsonl:4: custom_id 'line-3' repeats line 3"), std::string::npos);
  auto ids = output_ids();
  EXPECT_EQ(ids.size(), 6u);
  for (const auto& [id, entry] : ids) EXPECT_EQ(entry.first, 1) << id;
  EXPECT_TRUE(ids.count("line-6.2")) << "line 6's own name was taken by line 5";
  EXPECT_TRUE(ids.at("line-6").second);
  // Run again with --retry-failed: the bad lines are bad again, and said so.
  auto again = run_process(batch_argv({"--retry-failed"}));
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_NE(again.err.find("in.jsonl:1: "), std::string::npos) << again.err;
  ids = output_ids();
  EXPECT_EQ(ids.size(), 6u);
  for (const auto& [id, entry] : ids) EXPECT_EQ(entry.first, 1) << id;
}

}  // namespace
}  // namespace llmrt
