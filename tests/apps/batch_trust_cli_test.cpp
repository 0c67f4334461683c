// `llmrt batch` as a user can trust it: its exit status says whether the output holds errors,
// every bad input line is counted, Ctrl-C ends with a summary and how to resume, files made for
// the OpenAI Batch API run unchanged, and the progress bar fits the terminal.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "apps/batch_cli_fixture.h"
#include "support/background_process.h"
#include "support/live_process.h"
#include "support/read_file.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

// A suite of its own: gtest refuses one suite whose tests come from two files.
class BatchTrustCli : public test::BatchCli {};
using test::read_file;
using test::run_process;

// The same arguments with the API base swapped for `base`.
std::vector<std::string> with_api_base(std::vector<std::string> argv, const std::string& base) {
  for (std::size_t i = 0; i + 1 < argv.size(); ++i) {
    if (argv[i] == "--api-base") argv[i + 1] = base;
  }
  return argv;
}

TEST_F(BatchTrustCli, ARerunThatLeavesErrorsInTheOutputExitsOneAndNamesRetryFailed) {
  write_input(20);
  const std::string down = "http://127.0.0.1:" + std::to_string(test::free_loopback_port()) + "/v1";
  auto first = run_process(with_api_base(batch_argv(), down));
  EXPECT_EQ(first.exit_code, 1) << first.err;
  EXPECT_NE(first.err.find("20 run, 0 succeeded, 20 failed"), std::string::npos) << first.err;

  auto again = run_process(with_api_base(batch_argv(), down));
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_NE(again.err.find("0 run"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("20 skipped"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("20 of the items in the output are errors: --retry-failed runs them "
                           "again"),
            std::string::npos)
      << again.err;

  auto retried = run_process(batch_argv({"--retry-failed"}));  // the server is up again
  EXPECT_EQ(retried.exit_code, 0) << retried.err;
  EXPECT_EQ(retried.err.find("are errors"), std::string::npos) << retried.err;
  auto ids = output_ids();
  EXPECT_EQ(ids.size(), 20u);
  for (const auto& [id, entry] : ids) EXPECT_TRUE(entry.second) << id;

  auto done = run_process(batch_argv());
  EXPECT_EQ(done.exit_code, 0) << done.err;
}

TEST_F(BatchTrustCli, TheInputAsOutputIsRefusedUnderAnyName) {
  write_input(3);
  const std::string before = read_file(input_);
  const std::string link = dir_ + "/link.jsonl", hard = dir_ + "/hard.jsonl";
  std::filesystem::create_symlink(input_, link);
  std::filesystem::create_hard_link(input_, hard);
  for (const std::string& output :
       {input_, link, hard, dir_ + "/./in.jsonl",
        dir_ + "/../" + std::filesystem::path(dir_).filename().string() + "/in.jsonl"}) {
    std::vector<std::string> argv = batch_argv();
    argv.back() = output;
    auto r = run_process(argv);
    EXPECT_EQ(r.exit_code, 2) << output << ": " << r.err;
    EXPECT_NE(
        r.err.find("llmrt batch: --output " + output + " is the same file as --input " + input_),
        std::string::npos)
        << r.err;
  }
  EXPECT_EQ(read_file(input_), before);
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(BatchTrustCli, EveryBadLineIsNumberedOnStderrAndCountedInTheSummary) {
  {
    std::ofstream in(input_);
    in << R"({"custom_id":"good","messages":[{"role":"user","content":"a"}]})"
       << "\n";
    in << R"({"custom_id":"tokens","messages":[{"role":"user","content":"b"}],"params":{"max_tokens":5}})"
       << "\n";
    in << R"({"custom_id":"role","messages":[{"role":"wizard","content":"c"}]})"
       << "\n";
    in << "{oops\n";
  }
  auto r = run_process(batch_argv());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("in.jsonl:2: parameter 'max_tokens' is not accepted"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("in.jsonl:3: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'wizard'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("in.jsonl:4: invalid JSON"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 run, 1 succeeded, 0 failed, 3 bad input lines"), std::string::npos)
      << r.err;
  EXPECT_EQ(server_.requests().size(), 1u);
  auto ids = output_ids();
  EXPECT_EQ(ids.size(), 4u);
  EXPECT_FALSE(ids.at("tokens").second);
  EXPECT_FALSE(ids.at("role").second);
  EXPECT_FALSE(ids.at("line-4").second);

  // Their error lines stay in the output: a rerun says so.
  auto again = run_process(batch_argv());
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(BatchTrustCli, CtrlCStopsTheBatchWithASummaryAndTheCommandThatResumesIt) {
  write_input(100, R"({"mock":{"stall_ms":100}})");
  // A query value in the API base may be a secret: the command shown masks it too.
  auto with_query_secret = [&](std::vector<std::string> argv) {
    for (std::string& arg : argv) {
      if (arg == server_.base_url() + "/v1") arg += "?token=QUERYSECRET777";
    }
    return argv;
  };
  test::LiveProcess batch(with_query_secret(batch_argv({"--concurrency", "4"})));
  ASSERT_TRUE(batch.wait_until(
      [&](const std::string&, const std::string&) { return output_ids().size() >= 8; }));
  const auto interrupted = std::chrono::steady_clock::now();
  batch.signal(SIGINT);
  auto r = batch.finish();
  EXPECT_LT(std::chrono::steady_clock::now() - interrupted, std::chrono::seconds(5));
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_NE(r.err.find("llmrt batch: interrupted"), std::string::npos) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex("\\d+ run, \\d+ succeeded, 0 failed"))) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex("\\d+ not run"))) << r.err;
  EXPECT_NE(r.err.find("to resume, run the same command again (finished items are skipped):"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(" batch --model m "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--output " + output_), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--key '…' "), std::string::npos) << r.err;  // never a key itself
  EXPECT_NE(r.err.find("/v1?token=…"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("QUERYSECRET777"), std::string::npos) << r.err;

  // Only finished items are in the output (none of the cancelled ones), so a rerun runs the
  // rest and every item ends up there once.
  auto first = output_ids();
  EXPECT_LT(first.size(), 100u);
  for (const auto& [id, entry] : first) EXPECT_TRUE(entry.second) << id;
  auto rerun = run_process(with_query_secret(batch_argv({"--concurrency", "16"})));
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  auto ids = output_ids();
  EXPECT_EQ(ids.size(), 100u);
  for (const auto& [id, entry] : ids) {
    EXPECT_EQ(entry.first, 1) << id;
    EXPECT_TRUE(entry.second) << id;
  }
}

// Ctrl-C while the batch waits for more input from a pipe whose writer stays open: it stops
// at once (the read waited for the writer, and only a second Ctrl-C ended the process).
TEST_F(BatchTrustCli, CtrlCWhileTheInputPipeWaitsStopsTheBatch) {
  input_ = dir_ + "/fifo";
  ASSERT_EQ(::mkfifo(input_.c_str(), 0600), 0);
  test::LiveProcess batch(batch_argv());
  int writer = -1;  // opens once the batch reads the pipe: its Ctrl-C watcher is set by then
  for (int i = 0; i < 1000 && writer < 0; ++i) {
    writer = ::open(input_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (writer < 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_GE(writer, 0);
  // A whole line, then half of one: what the writer sent of a line is no line to report.
  const std::string lines = R"({"custom_id":"a","messages":[{"role":"user","content":"hi"}]})"
                            "\n"
                            R"({"custom_id":"b","messa)";
  ASSERT_EQ(::write(writer, lines.data(), lines.size()), static_cast<ssize_t>(lines.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto pressed = std::chrono::steady_clock::now();
  batch.signal(SIGINT);
  auto r = batch.finish();
  ::close(writer);
  EXPECT_LT(std::chrono::steady_clock::now() - pressed, std::chrono::seconds(5));
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_NE(r.err.find("llmrt batch: interrupted"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("interrupted again"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("invalid JSON"), std::string::npos) << r.err;
  EXPECT_TRUE(output_ids().empty());
}

// A service manager's stop: the summary, the resume command and the last metrics, as for
// Ctrl-C, with the status of SIGTERM.
TEST_F(BatchTrustCli, SigtermStopsTheBatchAsCtrlCDoes) {
  write_input(100, R"({"mock":{"stall_ms":100}})");
  const std::string metrics = dir_ + "/metrics.prom";
  test::LiveProcess batch(batch_argv({"--concurrency", "4", "--metrics", metrics}));
  ASSERT_TRUE(batch.wait_until(
      [&](const std::string&, const std::string&) { return output_ids().size() >= 4; }));
  batch.signal(SIGTERM);
  auto r = batch.finish();
  EXPECT_EQ(r.exit_code, 143) << r.err;
  EXPECT_NE(r.err.find("llmrt batch: interrupted"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("to resume, run the same command again"), std::string::npos) << r.err;
  std::ifstream in(metrics);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_NE(text.find("llmrt_calls_total"), std::string::npos) << text;
}

TEST_F(BatchTrustCli, OpenAiBatchApiLinesRunUnchangedAndGetItsOutputFormat) {
  {
    std::ofstream in(input_);
    in << R"({"custom_id":"request-1","method":"POST","url":"/v1/chat/completions",)"
          R"("body":{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},)"
          R"({"role":"user","content":"Hello world!"}],"max_tokens":50,"temperature":0.2}})"
       << "\n";
    in << R"({"custom_id":"request-2","method":"POST","url":"/v1/embeddings",)"
          R"("body":{"model":"text-embedding-3-small","input":"x"}})"
       << "\n";
    in << R"({"custom_id":"request-3","method":"POST","url":"/v1/chat/completions",)"
          R"("body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],)"
          R"("mock":{"status":400}}})"
       << "\n";
    // A 2xx reply llmrt cannot read (a 204 has no body) is an error record, not a response with
    // status_code 204: tools written for the Batch API take a 2xx for a success.
    in << R"({"custom_id":"request-4","method":"POST","url":"/v1/chat/completions",)"
          R"("body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],)"
          R"("mock":{"status":204}}})"
       << "\n";
  }
  auto r = run_process(batch_argv());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("in.jsonl:2: url '/v1/embeddings' is not supported: only "
                       "/v1/chat/completions"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("in.jsonl:1: body.model 'gpt-4o-mini' is not used: the batch runs model "
                       "'m'"),
            std::string::npos)
      << r.err;
  ASSERT_EQ(server_.requests().size(), 3u);
  rapidjson::Document sent;
  for (const auto& request : server_.requests()) {
    sent.Parse(request.body.c_str());
    if (sent["messages"].Size() == 2) break;
  }
  EXPECT_EQ(sent["max_tokens"].GetInt(), 50);
  EXPECT_DOUBLE_EQ(sent["temperature"].GetDouble(), 0.2);
  EXPECT_STREQ(sent["messages"][0]["content"].GetString(), "Be brief.");
  EXPECT_STREQ(sent["model"].GetString(), "m");  // the model the command names

  std::map<std::string, rapidjson::Document> records;
  for (const std::string& line : test::lines_of(read_file(output_))) {
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    ASSERT_FALSE(doc.HasParseError()) << line;
    std::string id = doc["custom_id"].GetString();
    records[id] = std::move(doc);
  }
  ASSERT_EQ(records.size(), 4u);
  const rapidjson::Document& ok = records["request-1"];
  EXPECT_EQ(std::string(ok["id"].GetString()).rfind("batch_req_", 0), 0u);
  EXPECT_TRUE(ok["error"].IsNull());
  EXPECT_EQ(ok["response"]["status_code"].GetInt(), 200);
  const auto& body = ok["response"]["body"];
  EXPECT_STREQ(body["object"].GetString(), "chat.completion");
  EXPECT_STREQ(body["choices"][0]["message"]["role"].GetString(), "assistant");
  EXPECT_NE(std::string(body["choices"][0]["message"]["content"].GetString()).find("mock server"),
            std::string::npos);
  EXPECT_STREQ(body["choices"][0]["finish_reason"].GetString(), "stop");
  EXPECT_TRUE(body["usage"]["total_tokens"].IsInt64());

  const rapidjson::Document& refused = records["request-2"];
  EXPECT_TRUE(refused["response"].IsNull());
  EXPECT_STREQ(refused["error"]["code"].GetString(), "bad_request");
  EXPECT_EQ(refused["error"]["line"].GetInt(), 2);

  const rapidjson::Document& failed = records["request-3"];
  EXPECT_TRUE(failed["error"].IsNull());
  EXPECT_EQ(failed["response"]["status_code"].GetInt(), 400);
  EXPECT_STREQ(failed["response"]["body"]["error"]["type"].GetString(), "bad_request");

  const rapidjson::Document& unreadable = records["request-4"];
  EXPECT_TRUE(unreadable["response"].IsNull());
  EXPECT_STREQ(unreadable["error"]["code"].GetString(), "protocol");

  // A rerun knows the finished line from the failed ones.
  server_.clear_requests();
  auto again = run_process(batch_argv({"--retry-failed"}));
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_EQ(server_.requests().size(), 2u);  // request-3 and -4 again; request-1 is done
}

// The bar is drawn only on a terminal: stderr is a 50-column pseudo-terminal here.
TEST_F(BatchTrustCli, TheProgressBarFitsANarrowTerminal) {
  write_input(30, R"({"mock":{"stall_ms":20}})");
  for (int columns : {50, 30}) {
    std::filesystem::remove(output_);
    test::LiveProcess batch(batch_argv({"--concurrency", "2"}), columns);
    auto r = batch.finish();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    int bars = 0;
    // A redraw starts with \r; the terminal turns \n into \r\n.
    const std::regex line_end("[\r\n]");
    for (std::sregex_token_iterator it(r.err.begin(), r.err.end(), line_end, -1), end; it != end;
         ++it) {
      const std::string piece = *it;
      std::string shown = std::regex_replace(piece, std::regex("\x1b\\[[0-9;]*[A-Za-z]"), "");
      if (shown.empty() || shown[0] != '[') continue;
      ++bars;
      EXPECT_LT(shown.size(), static_cast<std::size_t>(columns)) << columns << ": " << shown;
    }
    EXPECT_GT(bars, 0) << r.err;
  }
}

// Without a size from the terminal, $COLUMNS says how wide it is.
TEST_F(BatchTrustCli, TheProgressBarFollowsColumnsWhenTheTerminalHasNoSize) {
  write_input(10);
  setenv("COLUMNS", "40", 1);
  test::LiveProcess batch(batch_argv(), /*terminal_columns=*/-1);
  unsetenv("COLUMNS");
  auto r = batch.finish();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::size_t bar = r.err.find("\r[");
  ASSERT_NE(bar, std::string::npos) << r.err;
  std::string shown = r.err.substr(bar + 1, r.err.find_first_of("\r\n", bar + 1) - bar - 1);
  shown = std::regex_replace(shown, std::regex("\x1b\\[[0-9;]*[A-Za-z]"), "");
  EXPECT_LT(shown.size(), 40u) << shown;
}

}  // namespace
}  // namespace llmrt
