// `llmrt batch` through a route whose targets have rate limits the mock servers enforce: the
// client's budgets keep every server under its limit (no 429), every item is answered once by
// one of the targets, and the cost and counters add up to the lines.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "apps/batch_cli_fixture.h"
#include "llmrt/mock/mock_server.h"
#include "support/read_file.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

using test::lines_of;
using test::run_process;

constexpr int kItems = 2'000;
// Each target admits this many requests in any window of kWindow: rpm kRpm held over a second.
// The two together take about 2,000 / 120 ≈ 17 s.
constexpr long long kRpm = 3'600;
constexpr std::chrono::milliseconds kWindow{1'000};
constexpr long long kPerWindow = kRpm * kWindow.count() / 60'000;

struct Price {
  double input;
  double output;
};
const std::map<std::string, Price> kPrices{{"fast", {2.5, 10}}, {"cheap", {0.5, 1.5}}};

using test::read_file;

// The most requests `times` holds in any sliding window of `window` (an arrival at t counts
// over [t, t + window), as the mock server counts).
long long most_in_any_window(std::vector<std::chrono::steady_clock::time_point> times,
                             std::chrono::milliseconds window) {
  std::sort(times.begin(), times.end());
  long long most = 0;
  std::size_t first = 0;
  for (std::size_t last = 0; last < times.size(); ++last) {
    while (times[last] - times[first] >= window) ++first;
    most = std::max(most, static_cast<long long>(last - first + 1));
  }
  return most;
}

class RoutesBatchCli : public test::BatchCli {
 protected:
  std::string write_config() const {
    const std::string path = dir_ + "/llmrt.json";
    std::ofstream config(path);
    config << R"({"models": {)";
    const char* comma = "";
    for (const auto& [name, server] : servers()) {
      const Price& price = kPrices.at(name);
      config << comma << '"' << name << R"(": {"provider": "openai", "model": "m-)" << name
             << R"(", "api_base": ")" << server->base_url()
             << R"(/v1", "keys": ["k"], "retry": 0, "limits": {"rpm": )" << kRpm
             << R"(, "window": )" << kWindow.count() / 1000.0 << R"(}, "price": {"input": )"
             << price.input << R"(, "output": )" << price.output << "}}";
      comma = ",";
    }
    config << R"(}, "routes": {"pool": {"strategy": "weighted", "targets": [
        {"model": "fast", "weight": 3}, {"model": "cheap"}]}}})";
    return path;
  }
  std::map<std::string, const mock::MockServer*> servers() const {
    return {{"fast", &fast_}, {"cheap", &cheap_}};
  }

  static mock::MockServer::Options limited() {
    return {.rate_limit = {.requests = kPerWindow, .window = kWindow}};
  }
  mock::MockServer fast_{limited()};
  mock::MockServer cheap_{limited()};
};

TEST_F(RoutesBatchCli, RateLimitedTargetsSeeNo429AndTheCostsAddUp) {
  write_input(kItems);
  const std::string metrics = dir_ + "/llmrt.prom";
  const auto started = std::chrono::steady_clock::now();
  auto r = run_process({LLMRT_TEST_CLI, "batch", "--config", write_config(), "--name", "pool",
                        "--concurrency", "200", "--input", input_, "--output", output_, "--metrics",
                        metrics});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // The servers' side: no 429, and no window over the limit.
  std::map<std::string, std::size_t> received;
  for (const auto& [name, server] : servers()) {
    std::vector<std::chrono::steady_clock::time_point> times;
    int refused = 0;
    for (const mock::RecordedRequest& request : server->requests()) {
      times.push_back(request.received);
      if (request.status == 429) ++refused;
    }
    EXPECT_EQ(refused, 0) << name;
    const long long most = most_in_any_window(times, kWindow);
    EXPECT_LE(most, kPerWindow) << name;
    received[name] = times.size();
    std::cout << "[ info     ] " << name << ": " << times.size() << " requests, at most " << most
              << " in any " << kWindow.count() << " ms (limit " << kPerWindow << ")\n";
  }
  EXPECT_GT(received["fast"], 0u);
  EXPECT_GT(received["cheap"], 0u);
  EXPECT_EQ(received["fast"] + received["cheap"], static_cast<std::size_t>(kItems));

  // The output: every id once, each a success served by one of the targets at its price.
  std::map<std::string, int> ids;
  std::map<std::string, long long> lines_by_model;
  std::map<std::string, double> cost_by_model;
  double cost = 0;
  for (const std::string& line : lines_of(read_file(output_))) {
    rapidjson::Document record;
    record.Parse(line.c_str());
    ASSERT_FALSE(record.HasParseError()) << line;
    ++ids[record["custom_id"].GetString()];
    ASSERT_TRUE(record.HasMember("response") && record["response"].IsObject()) << line;
    const rapidjson::Value& response = record["response"];
    ASSERT_TRUE(response.HasMember("model") && response.HasMember("cost")) << line;
    const std::string model = response["model"].GetString();
    ASSERT_EQ(kPrices.count(model), 1u) << line;
    const rapidjson::Value& usage = response["usage"];
    const Price& price = kPrices.at(model);
    EXPECT_NEAR(response["cost"].GetDouble(),
                (usage["prompt_tokens"].GetDouble() * price.input +
                 usage["completion_tokens"].GetDouble() * price.output) /
                    1e6,
                1e-12)
        << line;
    ++lines_by_model[model];
    cost_by_model[model] += response["cost"].GetDouble();
    cost += response["cost"].GetDouble();
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kItems));
  for (const auto& [id, count] : ids) EXPECT_EQ(count, 1) << id;
  // Every request a server answered is one line: no retries and no moves were needed.
  for (const auto& [name, count] : received) {
    EXPECT_EQ(lines_by_model[name], static_cast<long long>(count)) << name;
  }

  // The summary's totals are the lines' sums (printed to six decimals).
  for (const auto& [name, lines] : lines_by_model) {
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.err, m,
                                  std::regex("llmrt batch: " + name +
                                             ": ([0-9]+) replies, [0-9]+ prompt and [0-9]+ "
                                             "completion tokens, cost ([0-9.]+)\n")))
        << r.err;
    EXPECT_EQ(std::stoll(m[1]), lines) << name;
    EXPECT_NEAR(std::stod(m[2]), cost_by_model[name], 1e-6) << name;
  }
  std::smatch total;
  ASSERT_TRUE(std::regex_search(r.err, total, std::regex(R"(llmrt batch: total cost ([0-9.]+)\n)")))
      << r.err;
  EXPECT_NEAR(std::stod(total[1]), cost, 1e-6);

  // The counters: the calls of each model are its lines.
  const std::string text = read_file(metrics);
  for (const auto& [name, lines] : lines_by_model) {
    std::smatch m;
    const std::string sample = R"(llmrt_calls_total\{model=")" + name + R"(",provider="openai"\} )";
    ASSERT_TRUE(std::regex_search(text, m, std::regex(sample + "([0-9]+)\n"))) << text;
    EXPECT_EQ(std::stoll(m[1]), lines) << name;
  }
  std::cout << "[ info     ] " << kItems << " items in " << seconds << " s, total cost " << cost
            << "\n";
}

// An OpenAI Batch file names one model in each body; through a route, the route's models answer
// each as itself, and the notice says so rather than naming the route's first model.
TEST_F(RoutesBatchCli, ABodysModelThroughARouteIsNotedAsTheRoutes) {
  {
    std::ofstream in(input_);
    in << R"({"custom_id":"r1","method":"POST","url":"/v1/chat/completions",)"
          R"("body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}]}})"
       << "\n";
  }
  auto r = run_process({LLMRT_TEST_CLI, "batch", "--config", write_config(), "--name", "pool",
                        "--input", input_, "--output", output_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("in.jsonl:1: body.model 'gpt-4o-mini' is not used: the batch runs route "
                       "'pool', whose models each answer as themselves"),
            std::string::npos)
      << r.err;
  // And the record names the API model of the target that answered, beside its name.
  std::ifstream out(output_);
  std::string line;
  ASSERT_TRUE(std::getline(out, line));
  const bool fast = line.find(R"("model":"fast")") != std::string::npos;
  EXPECT_TRUE(fast || line.find(R"("model":"cheap")") != std::string::npos) << line;
  EXPECT_NE(line.find(fast ? R"("model":"m-fast")" : R"("model":"m-cheap")"), std::string::npos)
      << line;
}

}  // namespace
}  // namespace llmrt
