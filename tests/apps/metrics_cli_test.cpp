// Usage cost and counters through the command line: the end event's model and cost, batch
// records and their totals, --metrics files and route events, against the mock server.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "apps/batch_cli_fixture.h"
#include "llmrt/mock/mock_server.h"
#include "support/background_process.h"
#include "support/read_file.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

using test::lines_of;
using test::run_process;

constexpr double kInputPrice = 2.5;
constexpr double kOutputPrice = 10;

// What the usage costs at the test's price, per million tokens.
double priced(const rapidjson::Value& usage) {
  return (usage["prompt_tokens"].GetDouble() * kInputPrice +
          usage["completion_tokens"].GetDouble() * kOutputPrice) /
         1e6;
}

using test::read_file;

// The samples of a Prometheus text (format 0.0.4), "name{labels}" → value. Fails the test on a
// line that is neither a comment nor a sample, on a sample whose family has no TYPE before it,
// and on a family described twice.
std::map<std::string, double> parse_prometheus(const std::string& text) {
  static const std::regex kSample(
      R"re(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (\S+)$)re");
  static const std::regex kType(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)$)");
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;
  std::set<std::string> helped;
  EXPECT_TRUE(!text.empty() && text.back() == '\n') << "the text must end with a line feed";
  for (const std::string& line : lines_of(text)) {
    std::smatch m;
    if (line.starts_with("# HELP ")) {
      std::string name = line.substr(7, line.find(' ', 7) - 7);
      EXPECT_TRUE(helped.insert(name).second) << "HELP twice for " << name;
    } else if (std::regex_match(line, m, kType)) {
      EXPECT_TRUE(types.emplace(m[1], m[2]).second) << "TYPE twice for " << m[1];
    } else if (std::regex_match(line, m, kSample)) {
      std::string name = m[1];
      std::string family = name;
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        if (name.ends_with(suffix) && types.count(name.substr(0, name.size() - strlen(suffix)))) {
          family = name.substr(0, name.size() - strlen(suffix));
        }
      }
      EXPECT_TRUE(types.count(family)) << "no TYPE before " << line;
      const std::string value = m[4];
      samples[line.substr(0, line.size() - value.size() - 1)] =
          value == "+Inf" ? INFINITY : std::stod(value);
    } else {
      ADD_FAILURE() << "not Prometheus text: " << line;
    }
  }
  return samples;
}

class MetricsCli : public test::BatchCli {
 protected:
  // A configuration with the mock server as model "gpt", priced unless told otherwise.
  std::string write_config(bool with_price = true) {
    const std::string path = dir_ + "/llmrt.json";
    std::ofstream(path) << R"({"models": {"gpt": {"provider": "openai", "model": "mock-model",
        "api_base": ")" << server_.base_url()
                        << R"(/v1", "keys": ["k"], "retry": 0)"
                        << (with_price ? R"(, "price": {"input": 2.5, "output": 10})" : "")
                        << "}}}";
    return path;
  }
  std::vector<std::string> config_batch_argv(std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{LLMRT_TEST_CLI, "batch",   "--config", write_config(), "--name",
                                  "gpt",          "--input", input_,     "--output",     output_};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }
  std::vector<rapidjson::Document> output_records() const {
    std::vector<rapidjson::Document> records;
    for (const std::string& line : lines_of(read_file(output_))) {
      records.emplace_back().Parse(line.c_str());
      EXPECT_FALSE(records.back().HasParseError()) << line;
    }
    return records;
  }
};

TEST_F(MetricsCli, TheEndEventNamesTheModelAndWhatTheCallCost) {
  auto r = run_process(
      {LLMRT_TEST_CLI, "chat", "--config", write_config(), "--name", "gpt", "--events", "hi"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document usage;
  rapidjson::Document end;
  for (const std::string& line : lines_of(r.out)) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    ASSERT_FALSE(d.HasParseError()) << line;
    // After a Swap, d holds the other document (null): it must not be read again.
    if (d["type"] == "usage") {
      usage.Swap(d);
    } else if (d["type"] == "end") {
      end.Swap(d);
    }
  }
  ASSERT_TRUE(usage.IsObject()) << r.out;
  ASSERT_TRUE(end.IsObject()) << r.out;
  EXPECT_STREQ(end["model"].GetString(), "gpt");
  ASSERT_TRUE(end.HasMember("cost")) << r.out;
  EXPECT_GT(usage["prompt_tokens"].GetInt(), 0);
  EXPECT_NEAR(end["cost"].GetDouble(), priced(usage), 1e-12);
}

TEST_F(MetricsCli, WithoutAPriceTheEndEventHasNoCost) {
  auto r = run_process(
      {LLMRT_TEST_CLI, "chat", "--config", write_config(false), "--name", "gpt", "--events", "hi"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string end = lines_of(r.out).back();
  EXPECT_NE(end.find(R"("model":"gpt")"), std::string::npos) << end;
  EXPECT_EQ(end.find(R"("cost")"), std::string::npos) << end;
}

TEST_F(MetricsCli, BatchLinesCarryModelAndCostAndTheSummaryTotalsThem) {
  write_input(25);
  auto r = run_process(config_batch_argv({"--concurrency", "5"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  double cost = 0;
  long long prompt = 0;
  long long completion = 0;
  auto records = output_records();
  ASSERT_EQ(records.size(), 25u);
  for (const rapidjson::Document& record : records) {
    const rapidjson::Value& response = record["response"];
    EXPECT_STREQ(response["model"].GetString(), "gpt");
    EXPECT_NEAR(response["cost"].GetDouble(), priced(response["usage"]), 1e-12);
    cost += response["cost"].GetDouble();
    prompt += response["usage"]["prompt_tokens"].GetInt64();
    completion += response["usage"]["completion_tokens"].GetInt64();
  }
  EXPECT_NE(r.err.find("llmrt batch: gpt: 25 replies, " + std::to_string(prompt) + " prompt and " +
                       std::to_string(completion) + " completion tokens, cost "),
            std::string::npos)
      << r.err;
  std::smatch total;
  ASSERT_TRUE(std::regex_search(r.err, total, std::regex(R"(llmrt batch: total cost ([0-9.]+)\n)")))
      << r.err;
  EXPECT_NEAR(std::stod(total[1]), cost, 1e-6);  // printed to six decimals
}

TEST_F(MetricsCli, OpenAiFormatRecordsCarryThemBesideTheBody) {
  std::ofstream(input_)
      << R"({"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"x","messages":[{"role":"user","content":"hi"}]}})"
      << "\n";
  auto r = run_process(config_batch_argv());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto records = output_records();
  ASSERT_EQ(records.size(), 1u);
  ASSERT_TRUE(records[0].HasMember("response") && records[0]["response"].IsObject());
  const rapidjson::Value& response = records[0]["response"];
  ASSERT_TRUE(response.HasMember("model") && response.HasMember("cost")) << read_file(output_);
  EXPECT_EQ(response["status_code"].GetInt(), 200);
  EXPECT_STREQ(response["model"].GetString(), "gpt");
  EXPECT_NEAR(response["cost"].GetDouble(), priced(response["body"]["usage"]), 1e-12);
}

TEST_F(MetricsCli, BatchMetricsFileIsPrometheusTextCountingTheCalls) {
  write_input(12);
  mock::Scenario failing;
  failing.status = 500;
  server_.push(failing);
  server_.push(failing);
  const std::string metrics = dir_ + "/llmrt.prom";
  auto r = run_process(config_batch_argv({"--concurrency", "1", "--metrics", metrics}));
  EXPECT_EQ(r.exit_code, 1) << r.err;  // two items failed
  auto samples = parse_prometheus(read_file(metrics));
  const std::string labels = R"({model="gpt",provider="openai")";
  EXPECT_EQ(samples[R"(llmrt_calls_total{model="gpt",provider="openai"})"], 12);
  EXPECT_EQ(samples[R"(llmrt_errors_total{model="gpt",provider="openai",kind="server"})"], 2);
  EXPECT_EQ(samples[R"(llmrt_latency_seconds_count{model="gpt",provider="openai"})"], 10);
  EXPECT_EQ(samples[R"(llmrt_latency_seconds_bucket{model="gpt",provider="openai",le="+Inf"})"],
            10);
  EXPECT_EQ(samples[R"(llmrt_in_flight{model="gpt",provider="openai"})"], 0);
  double cost = 0;
  long long prompt = 0;
  for (const rapidjson::Document& record : output_records()) {
    if (!record.HasMember("response")) continue;
    cost += record["response"]["cost"].GetDouble();
    prompt += record["response"]["usage"]["prompt_tokens"].GetInt64();
  }
  EXPECT_NEAR(samples[R"(llmrt_cost_total{model="gpt",provider="openai"})"], cost, 1e-12);
  EXPECT_EQ(samples[R"(llmrt_tokens_total{model="gpt",provider="openai",type="prompt"})"],
            static_cast<double>(prompt));
  EXPECT_FALSE(std::filesystem::exists(metrics + ".tmp"));
}

TEST_F(MetricsCli, BatchMetricsAreWrittenWhileTheBatchRuns) {
  write_input(40, R"({"mock":{"stall_ms":40}})");
  const std::string metrics = dir_ + "/llmrt.prom";
  test::BackgroundProcess batch(config_batch_argv(
      {"--concurrency", "1", "--metrics", metrics, "--metrics-interval", "0.05"}));
  const std::string calls = R"(llmrt_calls_total{model="gpt",provider="openai"})";
  // Seen part way: more than none, fewer than all (each write replaces the file whole, so every
  // read is a whole text).
  bool seen_part_way = false;
  for (int i = 0; i < 1000 && !seen_part_way; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!std::filesystem::exists(metrics)) continue;
    auto samples = parse_prometheus(read_file(metrics));
    seen_part_way = samples[calls] > 0 && samples[calls] < 40;
  }
  EXPECT_TRUE(seen_part_way);
}

TEST_F(MetricsCli, AMetricsFileThatCannotBeWrittenIsAnErrorBeforeAnyCall) {
  write_input(3);
  const std::string metrics = dir_ + "/no-such-folder/llmrt.prom";
  auto r = run_process(config_batch_argv({"--metrics", metrics}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--metrics " + metrics + ": cannot write"), std::string::npos) << r.err;
  EXPECT_TRUE(server_.requests().empty());
  EXPECT_FALSE(std::filesystem::exists(output_));

  r = run_process(config_batch_argv({"--metrics", output_}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--metrics " + output_ + " is the same file as --output"), std::string::npos)
      << r.err;
  EXPECT_TRUE(server_.requests().empty());

  r = run_process(config_batch_argv({"--metrics-interval", "5"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;  // an interval without a file
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(MetricsCli, ChatWritesItsMetricsAtTheEndAlsoWhenTheCallFailed) {
  const std::string metrics = dir_ + "/chat.prom";
  mock::Scenario failing;
  failing.status = 500;
  server_.push(failing);
  auto r = run_process({LLMRT_TEST_CLI, "chat", "--config", write_config(), "--name", "gpt",
                        "--metrics", metrics, "hi"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto samples = parse_prometheus(read_file(metrics));
  EXPECT_EQ(samples[R"(llmrt_calls_total{model="gpt",provider="openai"})"], 1);
  EXPECT_EQ(samples[R"(llmrt_errors_total{model="gpt",provider="openai",kind="server"})"], 1);
}

TEST_F(MetricsCli, AStreamedChatCountsItsTimeToFirstToken) {
  const std::string metrics = dir_ + "/stream.prom";
  auto r = run_process({LLMRT_TEST_CLI, "chat", "--config", write_config(), "--name", "gpt",
                        "--stream", "--metrics", metrics, "hi"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto samples = parse_prometheus(read_file(metrics));
  EXPECT_EQ(samples[R"(llmrt_time_to_first_token_seconds_count{model="gpt",provider="openai"})"],
            1);
  EXPECT_EQ(samples[R"(llmrt_latency_seconds_count{model="gpt",provider="openai"})"], 1);
  EXPECT_LE(samples[R"(llmrt_time_to_first_token_seconds_sum{model="gpt",provider="openai"})"],
            samples[R"(llmrt_latency_seconds_sum{model="gpt",provider="openai"})"]);
}

// A route whose only target answers 500 falls back to a model on another server: --events
// shows the move and the end event names the model that answered; as text, a line on stderr.
TEST_F(MetricsCli, ARouteEventShowsTheFallback) {
  mock::MockServer backup;
  mock::Scenario failing;
  failing.status = 500;
  server_.set_default(failing);
  const std::string config = dir_ + "/routes.json";
  std::ofstream(config) << R"({"models": {
      "a": {"provider": "openai", "model": "m-a", "api_base": ")"
                        << server_.base_url() << R"(/v1", "keys": ["k"], "retry": 0},
      "b": {"provider": "openai", "model": "m-b", "api_base": ")"
                        << backup.base_url() << R"(/v1", "keys": ["k"], "retry": 0}},
    "routes": {"smart": {"targets": [{"model": "a"}], "fallbacks": ["b"]}}})";
  auto r = run_process(
      {LLMRT_TEST_CLI, "chat", "--config", config, "--name", "smart", "--events", "hi"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  bool routed = false;
  for (const std::string& line : lines_of(r.out)) {
    if (line.find(R"("type":"route")") == std::string::npos) continue;
    routed = true;
    EXPECT_TRUE(line.starts_with(R"({"type":"route","from":"a","model":"b","reason":"server",)"
                                 R"("status":500,)"))
        << line;
  }
  EXPECT_TRUE(routed) << r.out;
  EXPECT_NE(lines_of(r.out).back().find(R"("model":"b")"), std::string::npos) << r.out;

  r = run_process({LLMRT_TEST_CLI, "chat", "--config", config, "--name", "smart", "hi"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("llmrt: a failed (server: HTTP 500"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("); trying b\n"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace llmrt
