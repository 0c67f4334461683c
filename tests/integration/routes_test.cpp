// Routes through real plugins over real HTTP: one mock server per deployment, so each one's
// failures, latency and request count are its own.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "support/route_fixture.h"

namespace llmrt {
namespace {

using std::chrono::milliseconds;

class Routes : public test::RouteFixture {};

TEST_F(Routes, WeightedSpreadFollowsTheWeightsOverAThousandCalls) {
  config_.models = {{"a", openai("a", a_)}, {"b", openai("b", b_)}};
  config_.routes["smart"] = route({{.model = "a", .weight = 3}, {.model = "b", .weight = 1}});
  core::ChatModel smart = make("smart");
  std::map<std::string, int> served;
  for (int i = 0; i < 1000; ++i) ++served[smart.chat(hello_).served_by];
  // 750 expected for a; the binomial standard deviation is 13.7: 5 of them is the tolerance.
  EXPECT_NEAR(served["a"], 750, 70);
  EXPECT_EQ(served["a"] + served["b"], 1000);
  EXPECT_EQ(completions(a_), static_cast<std::size_t>(served["a"]));
  EXPECT_EQ(completions(b_), static_cast<std::size_t>(served["b"]));
}

TEST_F(Routes, RoundRobinTakesTheTargetsInTurn) {
  config_.models = {{"a", openai("a", a_)}, {"b", openai("b", b_)}, {"c", openai("c", c_)}};
  config_.routes["rr"] =
      route({{.model = "a"}, {.model = "b"}, {.model = "c"}}, core::RouteStrategy::round_robin);
  core::ChatModel rr = make("rr");
  std::string order;
  for (int i = 0; i < 6; ++i) order += rr.chat(hello_).served_by;
  EXPECT_EQ(order, "abcabc");
}

TEST_F(Routes, LeastBusyPrefersTheIdleDeployment) {
  config_.models = {{"a", openai("a", a_)}, {"b", openai("b", b_)}};
  config_.routes["busy"] = route({{.model = "a"}, {.model = "b"}}, core::RouteStrategy::least_busy);
  core::ChatModel busy = make("busy");
  // A slow call on deployment a, made through the model itself: the route shares its state.
  mock::Scenario slow;
  slow.stall_before_headers = milliseconds(1500);
  a_.push(slow);
  core::ChatModel direct = runtime_->model("a");
  std::thread in_flight([&] { direct.chat(hello_); });
  while (completions(a_) == 0) std::this_thread::sleep_for(milliseconds(5));
  std::map<std::string, int> served;
  for (int i = 0; i < 20; ++i) ++served[busy.chat(hello_).served_by];
  in_flight.join();
  EXPECT_EQ(served["b"], 20);
  EXPECT_EQ(completions(a_), 1u);
}

TEST_F(Routes, LowestLatencyPrefersTheFastDeployment) {
  config_.models = {{"a", openai("a", a_)}, {"b", openai("b", b_)}};
  config_.routes["fast"] =
      route({{.model = "a"}, {.model = "b"}}, core::RouteStrategy::lowest_latency);
  mock::Scenario slow;
  slow.stall_before_headers = milliseconds(100);
  a_.set_default(slow);
  core::ChatModel fast = make("fast");
  std::map<std::string, int> served;
  for (int i = 0; i < 20; ++i) ++served[fast.chat(hello_).served_by];
  // Each is measured once (an unmeasured target goes first), then the fast one takes the rest.
  EXPECT_EQ(served["a"], 1);
  EXPECT_EQ(served["b"], 19);

  // Streams are ranked by time to first token, measured on their own.
  served.clear();
  for (int i = 0; i < 10; ++i) {
    ++served[fast.stream_chat(hello_, {}, [](const StreamEvent&) {}).served_by];
  }
  EXPECT_EQ(served["a"], 1);
  EXPECT_EQ(served["b"], 9);
}

TEST_F(Routes, LowestLatencyCountsAFailureAsSlow) {
  core::ModelConfig a = openai("a", a_);
  a.health.failures = 0;  // never cools down: only its latency can keep the calls away
  config_.models = {{"a", a}, {"b", openai("b", b_)}};
  core::RouteConfig r =
      route({{.model = "a"}, {.model = "b"}}, core::RouteStrategy::lowest_latency);
  config_.routes["fast"] = r;
  a_.set_default(failing(500));
  core::ChatModel fast = make("fast");
  for (int i = 0; i < 20; ++i) EXPECT_EQ(fast.chat(hello_).served_by, "b");
  // Tried once while unmeasured; its failure then weighs as a slow call.
  EXPECT_EQ(completions(a_), 1u);
}

TEST_F(Routes, AFailingDeploymentCoolsDownAndTheCallsGoToTheOther) {
  core::ModelConfig a = openai("a", a_);
  a.health = {.failures = 3, .window = milliseconds(60'000), .cooldown = milliseconds(60'000)};
  config_.models = {{"a", a}, {"b", openai("b", b_)}};
  config_.routes["smart"] = route({{.model = "a"}, {.model = "b"}});
  a_.set_default(failing(500));
  core::ChatModel smart = make("smart");
  std::vector<core::RouteNotice> moves;
  core::CallControl control;
  control.on_route = [&](const core::RouteNotice& n) { moves.push_back(n); };
  for (int i = 0; i < 40; ++i) EXPECT_EQ(smart.chat(hello_, {}, control).served_by, "b");
  // Three failures cooled it down: no call went there after.
  EXPECT_EQ(completions(a_), 3u);
  EXPECT_EQ(completions(b_), 40u);
  ASSERT_EQ(moves.size(), 3u);
  EXPECT_EQ(moves[0].from, "a");
  EXPECT_EQ(moves[0].to, "b");
  EXPECT_EQ(moves[0].reason, "server");
  EXPECT_EQ(moves[0].http_status, 500);

  core::MetricsSnapshot metrics = runtime_->metrics();
  ASSERT_EQ(metrics.deployments.size(), 2u);
  const core::DeploymentMetrics& ma = metrics.deployments[0];
  EXPECT_EQ(ma.model, "a");
  EXPECT_EQ(ma.calls, 3u);
  EXPECT_EQ(ma.errors.at(ErrorKind::server), 3u);
  EXPECT_EQ(ma.fallbacks, 3u);
  EXPECT_EQ(ma.cooldowns, 1u);
  EXPECT_TRUE(ma.cooling);
  EXPECT_EQ(metrics.deployments[1].succeeded, 40u);
}

TEST_F(Routes, ACoolingDeploymentIsNotRetried) {
  core::ModelConfig a = openai("a", a_);
  a.retry.max_retries = 5;
  a.health = {.failures = 2, .window = milliseconds(60'000), .cooldown = milliseconds(60'000)};
  config_.models = {{"a", a}, {"b", openai("b", b_)}};
  config_.routes["smart"] =
      route({{.model = "a"}, {.model = "b"}}, core::RouteStrategy::round_robin);
  a_.set_default(failing(503));
  core::ChatModel smart = make("smart");
  EXPECT_EQ(smart.chat(hello_).served_by, "b");
  // Its own retries stop once it cooled down (after 2), with b still to try.
  EXPECT_EQ(completions(a_), 2u);
}

TEST_F(Routes, FallsBackToAnotherProviderWhenTheFirstIsDown) {
  config_.models = {{"gpt", openai("gpt", a_)}, {"claude", anthropic("claude", c_)}};
  core::RouteConfig r = route({{.model = "gpt"}});
  r.fallbacks = {"claude"};
  config_.routes["smart"] = r;
  a_.set_default(failing(502));
  core::ChatModel smart = make("smart");

  ChatResult whole = smart.chat(hello_);
  EXPECT_EQ(whole.served_by, "claude");
  EXPECT_FALSE(whole.content.empty());

  std::string streamed;
  std::vector<core::RouteNotice> moves;
  core::CallControl control;
  control.on_route = [&](const core::RouteNotice& n) { moves.push_back(n); };
  ChatResult result = smart.stream_chat(
      hello_, {},
      [&](const StreamEvent& e) {
        if (const auto* d = std::get_if<ContentDelta>(&e)) streamed += d->text;
      },
      control);
  EXPECT_EQ(result.served_by, "claude");
  EXPECT_EQ(streamed, result.content);
  EXPECT_FALSE(streamed.empty());
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(moves[0].to, "claude");
  EXPECT_EQ(completions(a_), 2u);
  EXPECT_EQ(completions(c_), 2u);
  EXPECT_EQ(c_.last_request().uri, "/v1/messages");
}

TEST_F(Routes, ContextLengthGoesToTheNamedModel) {
  config_.models = {{"gpt", openai("gpt", a_)}, {"big", anthropic("big", c_)}};
  core::RouteConfig r = route({{.model = "gpt"}});
  r.on[ErrorKind::context_length] = "big";
  config_.routes["smart"] = r;
  config_.routes["plain"] = route({{.model = "gpt"}});
  mock::Scenario too_long = failing(400);
  too_long.error_code = "context_length_exceeded";
  a_.push(too_long);
  core::ChatModel smart = make("smart");
  EXPECT_EQ(smart.chat(hello_).served_by, "big");

  // Without `on`, the request's own fault goes nowhere else.
  a_.push(too_long);
  try {
    runtime_->model("plain").chat(hello_);
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::context_length);
  }
  EXPECT_EQ(completions(c_), 1u);
}

TEST_F(Routes, AStreamThatFailedAfterItsFirstDeltaKeepsItsTextAndDoesNotMove) {
  config_.models = {{"gpt", openai("gpt", a_)}, {"claude", anthropic("claude", c_)}};
  core::RouteConfig r = route({{.model = "gpt"}});
  r.fallbacks = {"claude"};
  config_.routes["smart"] = r;
  mock::Scenario cut;
  cut.cut_after_events = 4;  // the role chunk, then three words
  a_.push(cut);
  core::ChatModel smart = make("smart");
  std::string streamed;
  try {
    smart.stream_chat(hello_, {}, [&](const StreamEvent& e) {
      if (const auto* d = std::get_if<ContentDelta>(&e)) streamed += d->text;
    });
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::network) << e.what();
    EXPECT_FALSE(streamed.empty());
    EXPECT_EQ(e.partial_content(), streamed);
  }
  EXPECT_EQ(completions(c_), 0u);
}

TEST_F(Routes, AFallbackRouteDoesNotGoBackToADeploymentTheCallLeft) {
  config_.models = {{"a", openai("a", a_)}, {"b", openai("b", b_)}, {"c", anthropic("c", c_)}};
  core::RouteConfig smart = route({{.model = "a"}});
  smart.fallbacks = {"backup"};
  config_.routes["smart"] = smart;
  config_.routes["backup"] =
      route({{.model = "a"}, {.model = "b"}}, core::RouteStrategy::round_robin);
  a_.set_default(failing(500));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(make("smart").chat(hello_).served_by, "b");
  // Each call went to a once: the backup route's own a was passed over.
  EXPECT_EQ(completions(a_), 4u);
}

TEST_F(Routes, TheErrorListsEveryDeploymentTried) {
  config_.models = {{"a", openai("a", a_)}, {"b", openai("b", b_)}, {"c", anthropic("c", c_)}};
  core::RouteConfig r = route({{.model = "a"}, {.model = "b"}}, core::RouteStrategy::round_robin);
  r.fallbacks = {"c"};
  config_.routes["smart"] = r;
  a_.set_default(failing(500));
  b_.set_default(failing(503));
  c_.set_default(failing(529));
  try {
    make("smart").chat(hello_);
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("a: server, HTTP 500"), std::string::npos) << message;
    EXPECT_NE(message.find("b: server, HTTP 503"), std::string::npos) << message;
    EXPECT_NE(message.find("then c"), std::string::npos) << message;
  }
}

TEST_F(Routes, WhenEveryTargetIsCoolingTheCallFailsAtOnceOrWaits) {
  core::ModelConfig a = openai("a", a_);
  a.health = {.failures = 1, .window = milliseconds(60'000), .cooldown = milliseconds(300)};
  config_.models = {{"a", a}};
  core::RouteConfig fail = route({{.model = "a"}});
  fail.when_all_cooling = core::WhenAllCooling::fail;
  config_.routes["fail"] = fail;
  config_.routes["wait"] = route({{.model = "a"}});
  a_.push(failing(500));
  core::ChatModel failing_route = make("fail");
  EXPECT_THROW(failing_route.chat(hello_), Error);  // cools a down for 300 ms
  try {
    failing_route.chat(hello_);
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cooling down"), std::string::npos) << e.what();
  }
  EXPECT_EQ(completions(a_), 1u);
  // The waiting route waits out the cooldown, then calls.
  EXPECT_EQ(runtime_->model("wait").chat(hello_).served_by, "a");
  EXPECT_EQ(completions(a_), 2u);
}

TEST_F(Routes, ACallCostsWhatItsModelsPriceSays) {
  core::ModelConfig a = openai("a", a_);
  a.price = core::Price{.input = 2.5, .output = 10};
  config_.models = {{"a", a}, {"free", openai("free", b_)}};
  core::ChatModel priced = make("a");
  ChatResult result = priced.chat(hello_);
  ASSERT_TRUE(result.usage.has_value());
  ASSERT_TRUE(result.cost.has_value());
  EXPECT_DOUBLE_EQ(
      *result.cost,
      (result.usage->prompt_tokens * 2.5 + result.usage->completion_tokens * 10.0) / 1e6);
  EXPECT_FALSE(runtime_->model("free").chat(hello_).cost.has_value());
  EXPECT_DOUBLE_EQ(priced.metrics().deployments.at(0).cost, *result.cost);
}

TEST_F(Routes, NamesOutsideTheConfigurationAreNotFound) {
  config_.models = {{"a", openai("a", a_)}};
  config_.routes["smart"] = route({{.model = "a"}});
  make("smart");
  try {
    runtime_->model("gtp");
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::not_found);
    EXPECT_NE(std::string(e.what()).find("models: a; routes: smart"), std::string::npos);
  }
}

}  // namespace
}  // namespace llmrt
