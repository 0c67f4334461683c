// A route's name on the command line (`--config F --name ROUTE`): what chat does with it, what
// it says when the name is missing or unknown, which flags a route refuses and which apply to
// each of its models.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "llmrt/mock/mock_server.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

using test::lines_of;
using test::run_process;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class RoutesCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "llmrt-routes-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    config_ = dir_ + "/llmrt.json";
    // Health never cools a deployment down here: what the servers see is the retries alone.
    auto model = [](const char* name, const mock::MockServer& server) {
      return std::string("\"") + name + R"(": {"provider": "openai", "model": "m-)" + name +
             R"(", "api_base": ")" + server.base_url() +
             R"(/v1", "keys": ["k"], "retry": 0, "health": {"failures": 0}})";
    };
    std::ofstream(config_) << R"({"models": {)" << model("a", a_) << ", " << model("b", b_)
                           << R"(}, "routes": {"pool": {"strategy": "round_robin",
        "targets": ["a", "b"]}}})";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::vector<std::string> chat(std::vector<std::string> extra) const {
    std::vector<std::string> argv{LLMRT_TEST_CLI, "chat", "--config", config_};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back("hi");
    return argv;
  }
  void fail_both(mock::Scenario failure) {
    a_.set_default(failure);
    b_.set_default(std::move(failure));
  }

  mock::MockServer a_;
  mock::MockServer b_;
  std::string dir_, config_;
};

TEST_F(RoutesCli, ChatThroughARouteNamesTheModelThatServedIt) {
  for (int call = 0; call < 2; ++call) {
    auto r = run_process(chat({"--name", "pool", "--events"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    rapidjson::Document end;
    end.Parse(lines_of(r.out).back().c_str());
    ASSERT_FALSE(end.HasParseError()) << r.out;
    ASSERT_TRUE(end.HasMember("type") && end["type"] == "end") << r.out;
    ASSERT_TRUE(end.HasMember("model") && end["model"].IsString()) << r.out;
    const std::string model = end["model"].GetString();
    ASSERT_TRUE(model == "a" || model == "b") << r.out;
    // The model named is the one whose server answered this call.
    const mock::MockServer& served = model == "a" ? a_ : b_;
    const mock::MockServer& other = model == "a" ? b_ : a_;
    ASSERT_EQ(served.requests().size(), 1u) << model;
    EXPECT_TRUE(contains(served.last_request().body, "\"model\":\"m-" + model + "\""))
        << served.last_request().body;
    EXPECT_TRUE(other.requests().empty()) << model;
    a_.clear_requests();
    b_.clear_requests();
  }
}

TEST_F(RoutesCli, WithoutANameTheFileListsItsModelsAndRoutes) {
  auto r = run_process(chat({}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "--config " + config_ + " needs --name NAME")) << r.err;
  EXPECT_TRUE(contains(r.err, "(models: a, b; routes: pool)")) << r.err;
  EXPECT_TRUE(a_.requests().empty() && b_.requests().empty());
}

TEST_F(RoutesCli, AnUnknownNameListsTheModelsAndRoutes) {
  auto r = run_process(chat({"--name", "poool"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, config_ + ": no model or route named 'poool' (models: a, b; "
                                        "routes: pool)"))
      << r.err;
  EXPECT_TRUE(a_.requests().empty() && b_.requests().empty());
}

TEST_F(RoutesCli, FlagsThatSetOneModelAreUsageErrorsWithARoute) {
  const std::vector<std::vector<std::string>> flags{{"--key", "other-key"},
                                                    {"--model", "m-x"},
                                                    {"--api-base", b_.base_url() + "/v1"},
                                                    {"--provider", "openai"},
                                                    {"--org", "org-1"}};
  for (const auto& flag : flags) {
    auto r = run_process(chat({"--name", "pool", flag[0], flag[1]}));
    EXPECT_EQ(r.exit_code, 2) << flag[0] << ": " << r.err;
    EXPECT_TRUE(contains(r.err, flag[0] + " sets one model, and 'pool' is a route"))
        << flag[0] << ": " << r.err;
  }
  EXPECT_TRUE(a_.requests().empty() && b_.requests().empty());
  // The same flag with one of the route's models overrides the file.
  auto r = run_process(chat({"--name", "a", "--model", "m-x"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(a_.requests().size(), 1u);
  EXPECT_TRUE(contains(a_.last_request().body, R"("model":"m-x")")) << a_.last_request().body;
}

TEST_F(RoutesCli, RetryAppliesToEachModelOfTheRoute) {
  mock::Scenario failing;
  failing.status = 500;
  fail_both(failing);
  // The file's "retry": 0: one attempt on each target.
  auto r = run_process(chat({"--name", "pool"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(contains(r.err, "(route pool tried ")) << r.err;
  EXPECT_EQ(a_.requests().size(), 1u);
  EXPECT_EQ(b_.requests().size(), 1u);
  a_.clear_requests();
  b_.clear_requests();

  r = run_process(chat({"--name", "pool", "--retry", "2"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(contains(r.err, "(route pool tried ")) << r.err;
  EXPECT_EQ(a_.requests().size(), 3u);
  EXPECT_EQ(b_.requests().size(), 3u);
}

TEST_F(RoutesCli, TimeoutAppliesToEachModelOfTheRoute) {
  mock::Scenario slow;
  slow.stall_before_headers = std::chrono::milliseconds(1'500);
  fail_both(slow);
  auto r = run_process(chat({"--name", "pool", "--timeout", "0.2", "--events"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  // Each target timed out: the first moved the call on, the second ended it.
  EXPECT_EQ(a_.requests().size(), 1u);
  EXPECT_EQ(b_.requests().size(), 1u);
  int moves = 0;
  for (const std::string& line : lines_of(r.out)) {
    if (!contains(line, R"("type":"route")")) continue;
    ++moves;
    EXPECT_TRUE(contains(line, R"("reason":"timeout")")) << line;
  }
  EXPECT_EQ(moves, 1) << r.out;
  EXPECT_TRUE(contains(r.out + r.err, "timeout")) << r.out << r.err;
  a_.clear_requests();
  b_.clear_requests();

  // Without --timeout the same servers answer, only later.
  r = run_process(chat({"--name", "pool"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(a_.requests().size() + b_.requests().size(), 1u);
}

}  // namespace
}  // namespace llmrt
