// `llmrt batch` and `--config`, run as a user would, against the mock server on loopback.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "apps/batch_cli_fixture.h"
#include "llmrt/mock/mock_server.h"
#include "support/background_process.h"
#include "support/event_text.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

namespace fs = std::filesystem;
using test::lines_of;
using test::run_process;

using test::BatchCli;

TEST_F(BatchCli, EveryItemOnceWithBadLinesReportedAsErrors) {
  write_input(30);
  {
    std::ofstream in(input_, std::ios::app);
    in << "{not json\n";
    in << R"({"custom_id":"no-messages"})"
       << "\n";
    in << R"({"custom_id":"item-3","messages":[{"role":"user","content":"dup"}]})"
       << "\n";
    in << R"({"custom_id":"bad-param","messages":[{"role":"user","content":"x"}],"params":{"top_p":9}})"
       << "\n";
    // A misspelt params: its parameters would be dropped, and the line answered without them.
    in << R"({"custom_id":"typo","messages":[{"role":"user","content":"x"}],"parmas":{"seed":1}})"
       << "\n";
  }
  auto r = run_process(batch_argv({"--concurrency", "4"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;  // some lines were bad
  EXPECT_NE(r.err.find("in.jsonl:31: invalid JSON"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("in.jsonl:32: messages: missing"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("in.jsonl:33: custom_id 'item-3' repeats line 4"), std::string::npos);
  EXPECT_NE(r.err.find("in.jsonl:34: parameter 'top_p'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("in.jsonl:35: unknown key 'parmas' (a line takes custom_id, messages, "
                       "params)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("30 run, 30 succeeded, 0 failed"), std::string::npos) << r.err;
  auto ids = output_ids();
  EXPECT_EQ(ids.size(), 35u);
  for (const auto& [id, entry] : ids) EXPECT_EQ(entry.first, 1) << id;
  EXPECT_TRUE(ids.at("item-7").second);
  EXPECT_FALSE(ids.at("line-31").second);
  EXPECT_FALSE(ids.at("line-33").second);
  EXPECT_EQ(server_.requests().size(), 30u);
}

// Each reply is written out as it comes and not held to the end: 3,000 replies of about 12 KB
// (36 MB in all) fit in a peak RSS that 36 MB would not (52 MB when they were kept, 15 MB now).
TEST_F(BatchCli, RepliesAreNotHeldToTheEnd) {
  write_input(3000, R"({"mock":{"chunks":2000}})");
  const test::ProcessResult r = test::run_process(batch_argv());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(output_ids().size(), 3000U);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  // Sanitizers' shadow memory inflates RSS: the bound is for ordinary builds.
  EXPECT_LT(r.max_rss_kb, 32 * 1024) << "peak RSS " << r.max_rss_kb << " KiB";
#endif
}

TEST_F(BatchCli, KilledHalfWayAndRerunEndsWithEveryIdExactlyOnce) {
  write_input(200, R"({"mock":{"stall_ms":15}})");
  test::BackgroundProcess first(batch_argv({"--concurrency", "4"}));
  // Kill it without warning once part of the output is written.
  for (int i = 0; i < 500 && output_ids().size() < 40; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  first.stop(SIGKILL);
  std::size_t first_run = output_ids().size();
  ASSERT_GE(first_run, 40u);
  ASSERT_LT(first_run, 200u) << "the batch finished before it was killed";

  auto r = run_process(batch_argv({"--concurrency", "8"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto ids = output_ids();
  EXPECT_EQ(ids.size(), 200u);
  for (const auto& [id, entry] : ids) {
    EXPECT_EQ(entry.first, 1) << id;
    EXPECT_TRUE(entry.second) << id;
  }
  EXPECT_NE(r.err.find("skipped"), std::string::npos);
}

TEST_F(BatchCli, ALineCutOffByACrashIsDroppedAndItsItemRunAgain) {
  write_input(3);
  std::ofstream(output_)
      << R"({"custom_id":"item-0","response":{"content":"x","finish_reason":"stop"}})"
      << "\n"
      << R"({"custom_id":"item-1","respo)";
  auto r = run_process(batch_argv());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto ids = output_ids();
  EXPECT_EQ(ids.size(), 3u);
  for (const auto& [id, entry] : ids) EXPECT_EQ(entry.first, 1) << id;
  EXPECT_EQ(server_.requests().size(), 2u);  // item-1 and item-2
}

TEST_F(BatchCli, RetryFailedRunsOnlyTheFailuresAndReplacesThem) {
  write_input(20);
  mock::Scenario failing;
  failing.status = 503;
  for (int i = 0; i < 5; ++i) server_.push(failing);  // five items fail on the first run
  auto first = run_process(batch_argv({"--concurrency", "1"}));
  EXPECT_EQ(first.exit_code, 1);
  EXPECT_NE(first.err.find("20 run, 15 succeeded, 5 failed"), std::string::npos) << first.err;
  server_.clear_requests();

  auto again = run_process(batch_argv());  // without --retry-failed: nothing runs, but the
  EXPECT_EQ(again.exit_code, 1);           // output still holds the five errors
  EXPECT_NE(again.err.find("5 of the items in the output are errors: --retry-failed runs them"),
            std::string::npos)
      << again.err;
  EXPECT_TRUE(server_.requests().empty());

  auto retried = run_process(batch_argv({"--retry-failed"}));
  EXPECT_EQ(retried.exit_code, 0) << retried.err;
  EXPECT_EQ(server_.requests().size(), 5u);
  auto ids = output_ids();
  EXPECT_EQ(ids.size(), 20u);
  for (const auto& [id, entry] : ids) {
    EXPECT_EQ(entry.first, 1) << id;
    EXPECT_TRUE(entry.second) << id;
  }
}

TEST_F(BatchCli, ConfigFileNamesTheModelAndFlagsOverrideIt) {
  std::ofstream(dir_ + "/llmrt.json") << R"({"models": {"mock": {
      "provider": "openai", "model": "from-config", "api_base": ")"
                                      << server_.base_url() << R"(/v1",
      "keys": ["sk-config-key"], "params": {"temperature": 0.3}}}})";
  auto r = run_process({LLMRT_TEST_CLI, "chat", "--config", dir_ + "/llmrt.json", "--name", "mock",
                        "--param", "top_p=0.5", "hi"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document body;
  body.Parse(server_.last_request().body.c_str());
  EXPECT_STREQ(body["model"].GetString(), "from-config");
  EXPECT_DOUBLE_EQ(body["temperature"].GetDouble(), 0.3);
  EXPECT_DOUBLE_EQ(body["top_p"].GetDouble(), 0.5);
  EXPECT_EQ(*find_header(server_.last_request().headers, "Authorization"), "Bearer sk-config-key");

  r = run_process({LLMRT_TEST_CLI, "chat", "--config", dir_ + "/llmrt.json", "--name", "mock",
                   "--model", "flag-model", "--key", "sk-flag", "hi"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  body.Parse(server_.last_request().body.c_str());
  EXPECT_STREQ(body["model"].GetString(), "flag-model");
  EXPECT_EQ(*find_header(server_.last_request().headers, "Authorization"), "Bearer sk-flag");

  r = run_process(
      {LLMRT_TEST_CLI, "chat", "--config", dir_ + "/llmrt.json", "--name", "nope", "hi"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no model or route named 'nope' (models: mock)"), std::string::npos)
      << r.err;
}

// A write error on the output (EFBIG under a file-size limit) stops the batch with an error;
// what was written is whole lines, and a rerun completes it with every item once. The test
// process ignores SIGXFSZ so that, as under many supervisors, the write fails instead of the
// signal killing the child.
TEST_F(BatchCli, AnOutputWriteErrorStopsTheBatchAndTheRerunCompletesIt) {
  signal(SIGXFSZ, SIG_IGN);
  write_input(40);
  std::vector<std::string> argv = batch_argv({"--concurrency", "2"});
  argv.insert(argv.begin(), {"/usr/bin/prlimit", "--fsize=3000", "--"});
  auto r = run_process(argv);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("cannot write " + output_ + ": File too large"), std::string::npos) << r.err;
  std::ifstream in(output_, std::ios::binary);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_LE(text.size(), 3000u);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n') << "a cut line was left in the output";
  std::size_t first_run = output_ids().size();
  EXPECT_LT(first_run, 40u);

  r = run_process(batch_argv());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto ids = output_ids();
  EXPECT_EQ(ids.size(), 40u);
  for (const auto& [id, entry] : ids) {
    EXPECT_EQ(entry.first, 1) << id;
    EXPECT_TRUE(entry.second) << id;
  }
}

// A line longer than the limit of one local input (64 MiB) is that line's error, reported
// with its number; the lines after it still run.
TEST_F(BatchCli, AnOverlongInputLineIsItsOwnErrorAndTheRestRuns) {
  {
    std::ofstream in(input_, std::ios::binary);
    in << R"({"custom_id":"before","messages":[{"role":"user","content":"a"}]})"
       << "\n";
    in << R"({"custom_id":"huge","messages":[{"role":"user","content":")";
    // Written in pieces: a 64 MiB string would raise this process's peak RSS, which a child
    // started with posix_spawn inherits (Cli.EndlessLineStaysWithinBoundedMemory measures it).
    const std::string mebibyte(std::size_t{1} << 20, 'x');
    for (int i = 0; i < 64; ++i) in << mebibyte;
    in << "x\"}]}\n";
    in << R"({"custom_id":"after","messages":[{"role":"user","content":"b"}]})"
       << "\n";
  }
  auto r = run_process(batch_argv());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("in.jsonl:2: the line is longer than the limit of 67108864 bytes"),
            std::string::npos)
      << r.err;
  auto ids = output_ids();
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_TRUE(ids["before"].second);
  EXPECT_TRUE(ids["after"].second);
  EXPECT_FALSE(ids["line-2"].second);
  EXPECT_EQ(server_.requests().size(), 2u);
}

// custom_ids are byte strings: one with a NUL in it is done once, not again on every rerun.
TEST_F(BatchCli, ACustomIdWithANulIsDoneOnce) {
  {
    std::ofstream in(input_, std::ios::binary);
    in << R"({"custom_id":"a\u0000one","messages":[{"role":"user","content":"a"}]})"
       << "\n";
    in << R"({"custom_id":"a\u0000two","messages":[{"role":"user","content":"b"}]})"
       << "\n";
  }
  auto r = run_process(batch_argv());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.requests().size(), 2u);
  r = run_process(batch_argv());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.requests().size(), 2u) << "an item ran again";
  std::ifstream in(output_, std::ios::binary);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  ASSERT_EQ(lines_of(text).size(), 2u) << text;
  EXPECT_NE(text.find(R"("custom_id":"a\u0000one")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("custom_id":"a\u0000two")"), std::string::npos) << text;
}

// More workers than threads can be started (a 1 GB address space, 8 MiB stacks): the batch
// runs on the threads it got and completes; before, std::system_error aborted it with
// joinable threads in the pool and nothing written.
// The conversations are fibers, each with a stack as large as a thread's: under a 1 GB
// address-space limit not all 256 of them can have one.
TEST_F(BatchCli, ConversationsThatCannotStartDoNotAbortTheBatch) {
  if (test::kSanitizedBuild) GTEST_SKIP() << "an address-space limit stops a sanitized program";
  write_input(300);
  std::vector<std::string> argv = batch_argv({"--concurrency", "1000"});
  argv.insert(argv.begin(), {"/usr/bin/prlimit", "--as=1000000000", "--stack=8388608", "--"});
  auto r = run_process(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("fibers could be started"), std::string::npos) << r.err;
  auto ids = output_ids();
  EXPECT_EQ(ids.size(), 300u);
  for (const auto& [id, entry] : ids) {
    EXPECT_EQ(entry.first, 1) << id;
    EXPECT_TRUE(entry.second) << id;
  }
}

// Invalid UTF-8 in a line's messages is that line's error, found before anything is sent.
TEST_F(BatchCli, InvalidUtf8InALineIsThatLinesError) {
  {
    std::ofstream in(input_, std::ios::binary);
    in << "{\"custom_id\":\"bad\",\"messages\":[{\"role\":\"user\",\"content\":\"caf\xE9\"}]}\n";
    in << R"({"custom_id":"good","messages":[{"role":"user","content":"b"}]})"
       << "\n";
  }
  auto r = run_process(batch_argv());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("in.jsonl:1: messages: [0].content: invalid UTF-8 at byte 3"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(server_.requests().size(), 1u);
}

// The detail counts a provider reports reach the batch record (Anthropic's cache tokens here),
// and only those: a count not reported is left out rather than written as 0.
TEST_F(BatchCli, RecordsCarryTheUsageDetailsTheProviderReported) {
  write_input(1, R"({"mock":{"cache_read_tokens":40,"cache_write_tokens":5}})");
  auto r = run_process(batch_argv({"--provider", "anthropic"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(output_);
  std::string line;
  std::getline(in, line);
  rapidjson::Document doc;
  doc.Parse(line.c_str());
  ASSERT_FALSE(doc.HasParseError()) << line;
  const rapidjson::Value& usage = doc["response"]["usage"];
  EXPECT_EQ(usage["cache_read_tokens"].GetInt64(), 40) << line;
  EXPECT_EQ(usage["cache_write_tokens"].GetInt64(), 5) << line;
  EXPECT_FALSE(usage.HasMember("reasoning_tokens")) << line;
  EXPECT_EQ(usage["prompt_tokens"].GetInt64(),
            usage["total_tokens"].GetInt64() - usage["completion_tokens"].GetInt64());
}

}  // namespace
}  // namespace llmrt
