// Routes against what a careless configuration or a hostile server gives them, through real
// plugins over real HTTP: a target whose budget can never hold the request, a provider's retry
// hint of days, error messages cut in the middle of a character, keys missing behind a route.
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <thread>

#include "support/route_fixture.h"

namespace llmrt {
namespace {

using std::chrono::milliseconds;

class RouteHardening : public test::RouteFixture {};

// A request too large for one target's tpm budget is that target's problem: the route has
// another that takes it.
TEST_F(RouteHardening, ATargetWhoseBudgetCanNeverHoldTheRequestIsPassedOver) {
  core::ModelConfig small = openai("small", a_);
  small.rate_limits.tpm = 50;
  config_.models = {{"small", small}, {"big", openai("big", b_)}};
  core::RouteConfig r;
  r.targets = {{.model = "small"}, {.model = "big"}};
  r.strategy = core::RouteStrategy::round_robin;
  config_.routes["smart"] = r;
  core::ChatModel smart = make("smart");
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(smart.chat(hello_, output_limit(100)).served_by, "big");
  }
  EXPECT_TRUE(a_.requests().empty());
  EXPECT_EQ(b_.requests().size(), 4u);
}

TEST_F(RouteHardening, ARequestNoTargetsBudgetCanHoldGoesToTheFallbacksOrFailsSayingWhy) {
  core::ModelConfig small = openai("small", a_);
  small.rate_limits.tpm = 50;
  config_.models = {{"small", small}, {"big", openai("big", b_)}};
  core::RouteConfig with_fallback;
  with_fallback.targets = {{.model = "small"}};
  with_fallback.fallbacks = {"big"};
  config_.routes["with_fallback"] = with_fallback;
  core::RouteConfig alone;
  alone.targets = {{.model = "small"}};
  config_.routes["alone"] = alone;
  EXPECT_EQ(make("with_fallback").chat(hello_, output_limit(100)).served_by, "big");
  try {
    runtime_->model("alone").chat(hello_, output_limit(100));
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request) << e.what();
    EXPECT_NE(std::string(e.what()).find("can never fit the rate budget (tpm 50)"),
              std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(a_.requests().empty());
}

// Gemini's RetryInfo says how long to wait in the body (the plugin reads up to 10^6 s). Like a
// Retry-After header, a hint beyond the retry policy's max_retry_after is not believed: it must
// not take the deployment out for days.
TEST_F(RouteHardening, AProvidersRetryHintOfDaysDoesNotCoolADeploymentForDays) {
  core::ModelConfig g = openai("g", a_);
  g.provider = "gemini";
  g.model = "gemini-2.5-flash";
  g.api_base = a_.base_url() + "/v1beta";
  g.keys = {"AIza-test-key-0001"};
  g.health = {.failures = 1, .window = milliseconds(60'000), .cooldown = milliseconds(5'000)};
  config_.models = {{"g", g}};
  core::RouteConfig r;
  r.targets = {{.model = "g"}};
  r.when_all_cooling = core::WhenAllCooling::fail;
  config_.routes["only"] = r;
  mock::Scenario busy;
  busy.status = 429;
  busy.error_body = R"({"error": {"code": 429, "message": "Resource exhausted.",)"
                    R"( "status": "RESOURCE_EXHAUSTED", "details": [{"@type":)"
                    R"( "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "999999s"}]}})";
  a_.push(busy);
  core::ChatModel only = make("only");
  EXPECT_THROW(only.chat(hello_), Error);
  try {
    only.chat(hello_);
    ADD_FAILURE() << "expected the deployment to be cooling down";
  } catch (const Error& e) {
    const std::string message = e.what();
    auto at = message.find("back in ");
    ASSERT_NE(at, std::string::npos) << message;
    EXPECT_LE(std::stoll(message.substr(at + 8)), 5'000) << message;
  }
}

// A Retry-After longer than llmrt waits for (max_retry_after, 120 s) still reaches the caller,
// who may wait it out; llmrt's own retry goes by its backoff.
TEST_F(RouteHardening, AServersLongRetryAfterReachesTheCallerThoughLlmrtDoesNotWaitIt) {
  core::ModelConfig a = openai("a", a_);
  a.retry.max_retries = 0;
  config_.models = {{"a", a}};
  mock::Scenario busy;
  busy.status = 429;
  busy.headers = {{"Retry-After", "200"}};
  a_.push(busy);
  try {
    make("a").chat(hello_);
    ADD_FAILURE() << "expected the 429";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::rate_limited) << e.what();
    EXPECT_EQ(e.info().retry_after, milliseconds(200'000)) << e.what();
  }

  a.retry.max_retries = 1;
  config_.models = {{"a", a}};
  a_.push(busy);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(make("a").chat(hello_).content.empty());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

// Each deployment's message is cut to a length in the final error's list: never in the middle
// of a character (the error goes out as JSON in --events and batch lines).
TEST_F(RouteHardening, TheListOfAttemptsCutsMessagesBetweenCharacters) {
  config_.models = {{"a", openai("a", a_)}, {"b", openai("b", b_)}};
  core::RouteConfig r;
  r.targets = {{.model = "a"}};
  r.fallbacks = {"b"};
  config_.routes["smart"] = r;
  mock::Scenario down;
  down.status = 500;
  const std::string before(159, 'x');
  down.error_body = R"({"error": {"message": ")" + before + "\xC3\xA9" + std::string(40, 'y') +
                    R"(", "type": "server_error"}})";
  a_.set_default(down);
  mock::Scenario also_down;
  also_down.status = 503;
  b_.set_default(also_down);
  try {
    make("smart").chat(hello_);
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("a: server, HTTP 500"), std::string::npos) << message;
    EXPECT_NE(message.find(before + "\xE2\x80\xA6"), std::string::npos) << message;
    EXPECT_EQ(message.find(before + "\xC3\xE2"), std::string::npos) << message;
  }
}

// A route is opened whole: a model behind it without a key makes it fail to open, and the
// error says which route reached that model, and how.
TEST_F(RouteHardening, AKeylessFallbackNamesTheRouteThatReachesIt) {
  core::ModelConfig keyless = openai("keyless", b_);
  keyless.provider = "anthropic";
  keyless.model = "claude-sonnet-4-5";
  keyless.keys = {};
  unsetenv("ANTHROPIC_API_KEY");
  config_.models = {{"a", openai("a", a_)}, {"keyless", keyless}};
  core::RouteConfig r;
  r.targets = {{.model = "a"}};
  r.fallbacks = {"keyless"};
  config_.routes["smart"] = r;
  try {
    make("smart");
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::auth) << message;
    EXPECT_NE(message.find("model 'keyless'"), std::string::npos) << message;
    EXPECT_NE(message.find("ANTHROPIC_API_KEY"), std::string::npos) << message;
    EXPECT_NE(message.find("route 'smart'"), std::string::npos) << message;
  }
  // The route's other model is not spoiled for later.
  EXPECT_EQ(runtime_->model("a").chat(hello_).served_by, "a");
}

// The route's deadline is one for the whole call: once it has passed, the deployments left
// would each fail at once with "timeout" — and be counted unhealthy for it.
TEST_F(RouteHardening, NoDeploymentIsTriedOnceTheCallsDeadlineHasPassed) {
  core::ModelConfig a = openai("a", a_);
  a.transport.total_timeout = milliseconds(200);
  core::ModelConfig b = openai("b", b_);
  b.health = {.failures = 1, .window = milliseconds(60'000), .cooldown = milliseconds(60'000)};
  config_.models = {{"a", a}, {"b", b}};
  core::RouteConfig r;
  r.targets = {{.model = "a"}};
  r.fallbacks = {"b"};
  config_.routes["smart"] = r;
  mock::Scenario stall;
  stall.stall_before_headers = milliseconds(1000);
  a_.push(stall);
  core::ChatModel smart = make("smart");
  try {
    smart.chat(hello_);
    ADD_FAILURE() << "expected a timeout";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout) << e.what();
    EXPECT_EQ(std::string(e.what()).find("b: "), std::string::npos) << e.what();
  }
  for (const core::DeploymentMetrics& d : smart.metrics().deployments) {
    if (d.model != "b") continue;
    EXPECT_EQ(d.calls, 0u);
    EXPECT_FALSE(d.cooling);
  }
  EXPECT_EQ(runtime_->model("b").chat(hello_).served_by, "b");
}

// Each deployment's failure in the final error went through that deployment's redactor: a
// server quoting the key it was sent shows none of it, whichever deployment it was.
TEST_F(RouteHardening, TheFinalErrorShowsNoDeploymentsKey) {
  core::ModelConfig a = openai("a", a_);
  a.keys = {"sk-proj-aaaaaaaaaaaaaaaaaaaaaaaa1111"};
  core::ModelConfig b = openai("b", b_);
  b.keys = {"sk-proj-bbbbbbbbbbbbbbbbbbbbbbbb2222"};
  config_.models = {{"a", a}, {"b", b}};
  core::RouteConfig r;
  r.targets = {{.model = "a"}};
  r.fallbacks = {"b"};
  config_.routes["smart"] = r;
  auto quoting = [](const std::string& key) {
    mock::Scenario s;
    s.status = 500;
    s.error_body = R"({"error": {"message": "bad key )" + key + R"(", "type": "server_error"}})";
    return s;
  };
  a_.set_default(quoting(a.keys[0]));
  b_.set_default(quoting(b.keys[0]));
  std::vector<std::string> notices;
  core::CallControl control;
  control.on_route = [&](const core::RouteNotice& n) { notices.push_back(n.message); };
  try {
    make("smart").chat(hello_, {}, control);
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("a: server, HTTP 500: bad key"), std::string::npos) << message;
    EXPECT_NE(message.find("then b"), std::string::npos) << message;
    for (const char* secret : {"aaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbb"}) {
      EXPECT_EQ(message.find(secret), std::string::npos) << message;
    }
  }
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].find("aaaaaaaaaaaaaaaaaaaaaaaa"), std::string::npos) << notices[0];
}

// A deployment whose every key was refused is the key pool's business (no cooldown), but the
// route still has somewhere to go: this call and the next are served by the other, and the
// refused key is not sent again while it is out.
TEST_F(RouteHardening, ADeploymentWithEveryKeyRefusedPassesItsCallsOn) {
  config_.models = {{"a", openai("a", a_)}, {"b", openai("b", b_)}};
  core::RouteConfig r;
  r.targets = {{.model = "a"}};
  r.fallbacks = {"b"};
  config_.routes["smart"] = r;
  mock::Scenario refused;
  refused.status = 401;
  a_.set_default(refused);
  core::ChatModel smart = make("smart");
  EXPECT_EQ(smart.chat(hello_).served_by, "b");
  EXPECT_EQ(smart.chat(hello_).served_by, "b");
  EXPECT_EQ(a_.requests().size(), 1u);
  EXPECT_EQ(b_.requests().size(), 2u);
}

// A route that waits for its first target to come back waits no longer than the caller wants:
// a cancellation ends the wait (a cooldown of a minute here), before anything is sent.
TEST_F(RouteHardening, ACancellationEndsTheWaitForACoolingTarget) {
  core::ModelConfig a = openai("a", a_);
  a.health = {.failures = 1, .window = milliseconds(60'000), .cooldown = milliseconds(60'000)};
  config_.models = {{"a", a}};
  core::RouteConfig r;
  r.targets = {{.model = "a"}};
  config_.routes["wait"] = r;
  mock::Scenario down;
  down.status = 500;
  a_.push(down);
  core::ChatModel wait = make("wait");
  EXPECT_THROW(wait.chat(hello_), Error);  // cools a down for a minute
  core::CallControl control;
  control.cancel = std::make_shared<core::CancelToken>();
  std::thread canceller([token = control.cancel] {
    std::this_thread::sleep_for(milliseconds(50));
    token->cancel();
  });
  try {
    wait.stream_chat(hello_, {}, control);
    ADD_FAILURE() << "expected a cancellation";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::cancelled) << e.what();
  }
  canceller.join();
  EXPECT_EQ(a_.requests().size(), 1u);
}

// least_busy reads the calls in flight: every way a call ends gives its mark back — served,
// failed over, a stream dropped half read, a stream that outlived its ChatModel and Runtime.
TEST_F(RouteHardening, EveryWayACallEndsLeavesNothingInFlight) {
  config_.models = {{"a", openai("a", a_)}, {"b", openai("b", b_)}};
  core::RouteConfig r;
  r.targets = {{.model = "a"}, {.model = "b"}};
  r.strategy = core::RouteStrategy::least_busy;
  config_.routes["smart"] = r;
  mock::Scenario down;
  down.status = 500;
  a_.push(down);
  mock::Scenario slow;
  slow.content = "one two three four five six seven eight";
  slow.chunks = 8;
  core::ChatModel smart = make("smart");
  for (int i = 0; i < 3; ++i) (void)smart.chat(hello_);
  {
    a_.set_default(slow);
    b_.set_default(slow);
    core::ChatStream dropped = smart.stream_chat(hello_);
    ASSERT_NE(dropped.next(), nullptr);
  }
  std::optional<core::ChatStream> outliving;
  {
    core::ChatModel other = runtime_->model("smart");
    outliving.emplace(other.stream_chat(hello_));
  }
  runtime_.reset();
  std::string text;
  while (const core::StreamChunk* chunk = outliving->next()) text += chunk->delta;
  EXPECT_EQ(text, slow.content);
  EXPECT_FALSE(outliving->result().served_by.empty());
  for (const core::DeploymentMetrics& d : smart.metrics().deployments) {
    EXPECT_EQ(d.in_flight, 0) << d.model;
  }
}

// A call waiting for room on its key must not sit on the deployment's budget meanwhile: the
// deployment's other key has room, and a call on it must not be held by the one waiting.
TEST_F(RouteHardening, ACallWaitingForItsKeyDoesNotHoldTheDeploymentsBudget) {
  core::ModelConfig m = openai("m", a_);
  m.keys = {"sk-test-key-zero-0000", "sk-test-key-one-1111"};
  m.rate_limits.rpm = 3;
  m.transport.total_timeout = milliseconds(10'000);
  mock::Scenario spent;  // the first key has no request left for two seconds
  spent.headers = {{"x-ratelimit-remaining-requests", "0"}, {"x-ratelimit-reset-requests", "2s"}};
  a_.push(spent);
  runtime_ =
      std::make_unique<core::Runtime>(std::vector<std::filesystem::path>{LLMRT_TEST_PLUGIN_DIR});
  core::ChatModel model = runtime_->model(m);
  (void)model.chat(hello_);  // key 0: spent
  (void)model.chat(hello_);  // key 1
  core::CallControl control;
  control.cancel = std::make_shared<core::CancelToken>();
  std::thread waiting([&] {  // key 0 again: waits for its reset
    try {
      (void)model.chat(hello_, {}, control);
    } catch (const Error&) {
      // cancelled below, or out of room after the reset: either way not this test's subject
    }
  });
  while (model.metrics().deployments.at(0).in_flight == 0) std::this_thread::yield();
  std::this_thread::sleep_for(milliseconds(200));  // into its wait
  try {
    EXPECT_FALSE(model.chat(hello_).content.empty());  // key 1, which has room
  } catch (const Error& e) {
    ADD_FAILURE() << e.what();
  }
  control.cancel->cancel();
  waiting.join();
}

}  // namespace
}  // namespace llmrt
