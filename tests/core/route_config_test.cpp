#include <gtest/gtest.h>

#include "llmrt/core/config.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string routes_error(std::string_view json) {
  try {
    parse_config(json, "llmrt.json");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    return e.what();
  }
  ADD_FAILURE() << "no error for " << json;
  return {};
}

// Two models and the routes between them, for the errors below to change one thing in.
std::string with_routes(std::string_view routes) {
  return R"({"models": {"gpt": {"model": "gpt-4o"}, "qwen": {"model": "qwen-plus"}},
             "routes": )" +
         std::string(routes) + "}";
}

TEST(RouteConfig, EveryKeyOfModelsAndRoutes) {
  RuntimeConfig c = parse_config(R"({
    "models": {
      "gpt": {
        "model": "gpt-4o",
        "limits": {"rpm": 600, "tpm": 200000, "key_rpm": 300, "key_tpm": 100000, "window": 10,
                   "max_body_bytes": 2048},
        "price": {"input": 2.5, "cached_input": 1.25, "output": 10},
        "health": {"failures": 5, "window": 30, "cooldown": 20.5}
      },
      "qwen": {"provider": "qwen", "model": "qwen-plus",
               "price": {"input": 0.4, "output": 1.2, "reasoning": 8}},
      "claude": {"provider": "anthropic", "model": "claude-sonnet-4-5",
                 "price": {"input": 3, "output": 15, "cached_input": 0.3, "cache_write": 3.75}}
    },
    "routes": {
      "smart": {"targets": [{"model": "gpt", "weight": 3}, "qwen"],
                "strategy": "weighted",
                "fallbacks": ["backup"],
                "on": {"context_length": "claude", "content_filter": "qwen"},
                "when_all_cooling": "fail"},
      "backup": {"targets": ["claude", {"model": "qwen"}], "strategy": "least_busy"},
      "fast": {"targets": ["gpt", "qwen"], "strategy": "lowest_latency", "when_all_cooling": "wait"},
      "turns": {"targets": ["smart", "backup"], "strategy": "round_robin"}
    }})",
                                 "llmrt.json");
  const ModelConfig& gpt = c.models.at("gpt");
  EXPECT_EQ(gpt.name, "gpt");
  EXPECT_EQ(gpt.rate_limits.rpm, 600);
  EXPECT_EQ(gpt.rate_limits.tpm, 200000);
  EXPECT_EQ(gpt.rate_limits.key_rpm, 300);
  EXPECT_EQ(gpt.rate_limits.key_tpm, 100000);
  EXPECT_EQ(gpt.rate_limits.window, seconds(10));
  EXPECT_EQ(gpt.transport.max_body_bytes, 2048u);  // the size limits share the object
  ASSERT_TRUE(gpt.price);
  EXPECT_DOUBLE_EQ(gpt.price->input, 2.5);
  EXPECT_DOUBLE_EQ(gpt.price->output, 10);
  EXPECT_EQ(gpt.price->cached_input, 1.25);
  EXPECT_FALSE(gpt.price->cache_write);
  EXPECT_FALSE(gpt.price->reasoning);
  EXPECT_EQ(gpt.health.failures, 5);
  EXPECT_EQ(gpt.health.window, seconds(30));
  EXPECT_EQ(gpt.health.cooldown, milliseconds(20500));
  EXPECT_EQ(c.models.at("qwen").name, "qwen");
  EXPECT_EQ(c.models.at("qwen").price->reasoning, 8);
  const Price& claude = *c.models.at("claude").price;
  EXPECT_EQ(claude.cached_input, 0.3);
  EXPECT_EQ(claude.cache_write, 3.75);

  ASSERT_EQ(c.routes.size(), 4u);
  const RouteConfig& smart = c.routes.at("smart");
  ASSERT_EQ(smart.targets.size(), 2u);
  EXPECT_EQ(smart.targets[0].model, "gpt");
  EXPECT_EQ(smart.targets[0].weight, 3u);
  EXPECT_EQ(smart.targets[1].model, "qwen");
  EXPECT_EQ(smart.targets[1].weight, 1u);
  EXPECT_EQ(smart.strategy, RouteStrategy::weighted);
  EXPECT_EQ(smart.fallbacks, std::vector<std::string>{"backup"});
  EXPECT_EQ(smart.on, (std::map<ErrorKind, std::string>{{ErrorKind::context_length, "claude"},
                                                        {ErrorKind::content_filter, "qwen"}}));
  EXPECT_EQ(smart.when_all_cooling, WhenAllCooling::fail);
  const RouteConfig& backup = c.routes.at("backup");
  EXPECT_EQ(backup.strategy, RouteStrategy::least_busy);
  EXPECT_EQ(backup.targets[1].model, "qwen");
  EXPECT_EQ(backup.targets[1].weight, 1u);
  EXPECT_EQ(backup.when_all_cooling, WhenAllCooling::wait);
  EXPECT_TRUE(backup.fallbacks.empty());
  EXPECT_TRUE(backup.on.empty());
  EXPECT_EQ(c.routes.at("fast").strategy, RouteStrategy::lowest_latency);
  EXPECT_EQ(c.routes.at("turns").strategy, RouteStrategy::round_robin);
  EXPECT_EQ(c.routes.at("turns").targets[0].model, "smart");  // a route may name routes
}

TEST(RouteConfig, WhatIsLeftOutKeepsItsDefault) {
  RuntimeConfig c = parse_config(with_routes(R"({"r": {"targets": ["gpt"]}})"), "llmrt.json");
  const ModelConfig& gpt = c.models.at("gpt");
  EXPECT_EQ(gpt.rate_limits.rpm, 0);
  EXPECT_EQ(gpt.rate_limits.window, seconds(60));
  EXPECT_EQ(gpt.health.failures, HealthPolicy{}.failures);
  EXPECT_EQ(gpt.health.cooldown, HealthPolicy{}.cooldown);
  EXPECT_FALSE(gpt.price);
  const RouteConfig& r = c.routes.at("r");
  EXPECT_EQ(r.strategy, RouteStrategy::weighted);
  EXPECT_EQ(r.when_all_cooling, WhenAllCooling::wait);
  EXPECT_TRUE(parse_config(R"({"models": {"a": {"model": "m"}}})", "x").routes.empty());
}

TEST(RouteConfig, StrategyNamesReadBack) {
  for (auto s : {RouteStrategy::weighted, RouteStrategy::round_robin, RouteStrategy::least_busy,
                 RouteStrategy::lowest_latency}) {
    EXPECT_EQ(route_strategy_from_string(to_string(s)), s);
  }
  EXPECT_EQ(to_string(RouteStrategy::least_busy), "least_busy");
  EXPECT_FALSE(route_strategy_from_string("fastest"));
}

TEST(RouteConfig, UnknownNameListsTheModelsAndRoutes) {
  EXPECT_EQ(routes_error(with_routes(R"({"smart": {"targets": ["gpt", "gtp"]}})")),
            "bad_request: llmrt.json: $.routes.smart.targets[1]: expected a model or route name "
            "(models: gpt, qwen; routes: smart), got \"gtp\"");
  EXPECT_NE(routes_error(with_routes(R"({"smart": {"targets": ["gpt"], "fallbacks": ["claude"]}})"))
                .find("$.routes.smart.fallbacks[0]: expected a model or route name"),
            std::string::npos);
  EXPECT_NE(routes_error(with_routes(R"({"smart": {"targets": ["gpt"], "on": {"server": "x"}}})"))
                .find("$.routes.smart.on.server: expected a model or route name"),
            std::string::npos);
}

TEST(RouteConfig, NameThatIsBothModelAndRouteIsAnError) {
  EXPECT_EQ(routes_error(with_routes(R"({"gpt": {"targets": ["qwen"]}})")),
            "bad_request: llmrt.json: $.routes.gpt: \"gpt\" is also a model ($.models.gpt); a "
            "name must stand for one or the other");
}

TEST(RouteConfig, SameTargetTwiceIsAnError) {
  EXPECT_EQ(
      routes_error(
          with_routes(R"({"r": {"targets": ["gpt", "qwen", {"model": "gpt", "weight": 2}]}})")),
      "bad_request: llmrt.json: $.routes.r.targets[2]: \"gpt\" is already targets[0]; give that "
      "one a larger weight instead");
}

TEST(RouteConfig, CycleAmongRoutesIsNamed) {
  // Through targets.
  EXPECT_EQ(routes_error(with_routes(R"({"smart": {"targets": ["backup"]},
                                    "backup": {"targets": ["gpt", "smart"]}})")),
            "bad_request: llmrt.json: $.routes.smart.targets[0]: routes form a cycle: backup -> "
            "smart -> backup");
  // Through fallbacks, three long.
  EXPECT_EQ(routes_error(with_routes(R"({"a": {"targets": ["gpt"], "fallbacks": ["b"]},
                                    "b": {"targets": ["qwen"], "fallbacks": ["c"]},
                                    "c": {"targets": ["gpt"], "fallbacks": ["qwen", "a"]}})")),
            "bad_request: llmrt.json: $.routes.c.fallbacks[1]: routes form a cycle: a -> b -> c "
            "-> a");
  // Through on, and a route that targets itself.
  EXPECT_NE(routes_error(with_routes(R"({"smart": {"targets": ["gpt"], "on": {"timeout": "slow"}},
                                    "slow": {"targets": ["qwen"], "on": {"server": "smart"}}})"))
                .find("$.routes.smart.on.timeout: routes form a cycle: slow -> smart -> slow"),
            std::string::npos);
  EXPECT_NE(routes_error(with_routes(R"({"me": {"targets": ["me"]}})"))
                .find("$.routes.me.targets[0]: routes form a cycle: me -> me"),
            std::string::npos);
  // Two routes that share a route are no cycle.
  EXPECT_EQ(parse_config(with_routes(R"({"a": {"targets": ["c"], "fallbacks": ["c"]},
                                         "b": {"targets": ["c", "a"]},
                                         "c": {"targets": ["gpt"]}})"),
                         "llmrt.json")
                .routes.size(),
            3u);
}

TEST(RouteConfig, FallbackToItselfIsAnError) {
  EXPECT_EQ(routes_error(with_routes(R"({"smart": {"targets": ["gpt"],
                                              "fallbacks": ["qwen", "smart"]}})")),
            "bad_request: llmrt.json: $.routes.smart.fallbacks[1]: a route cannot fall back to "
            "itself");
}

TEST(RouteConfig, MalformedRoutesNameTheirPath) {
  EXPECT_EQ(routes_error(with_routes(R"({"r": {"strategy": "weighted"}})")),
            "bad_request: llmrt.json: $.routes.r.targets: expected a non-empty array of targets "
            "(it is missing)");
  EXPECT_EQ(routes_error(with_routes(R"({"r": {"targets": []}})")),
            "bad_request: llmrt.json: $.routes.r.targets: expected a non-empty array of targets, "
            "got []");
  EXPECT_EQ(routes_error(with_routes(R"({"r": {"targets": [{"model": "gpt", "weight": 0}]}})")),
            "bad_request: llmrt.json: $.routes.r.targets[0].weight: expected an integer from 1 to "
            "1000000, got 0");
  EXPECT_NE(
      routes_error(with_routes(R"({"r": {"targets": [{"model": "gpt", "weight": 1000001}]}})"))
          .find("$.routes.r.targets[0].weight: expected an integer from 1 to 1000000"),
      std::string::npos);
  EXPECT_NE(routes_error(with_routes(R"({"r": {"targets": [{"weight": 2}]}})"))
                .find("$.routes.r.targets[0].model: expected the target's model name (it is "
                      "missing)"),
            std::string::npos);
  EXPECT_NE(routes_error(with_routes(R"({"r": {"targets": [3]}})")).find("$.routes.r.targets[0]: "),
            std::string::npos);
  EXPECT_EQ(routes_error(with_routes(R"({"r": {"targets": ["gpt"], "strategy": "fastest"}})")),
            "bad_request: llmrt.json: $.routes.r.strategy: expected a strategy (weighted, "
            "round_robin, least_busy, lowest_latency), got \"fastest\"");
  EXPECT_NE(routes_error(with_routes(R"({"r": {"targets": ["gpt"], "fallbacks": "qwen"}})"))
                .find("$.routes.r.fallbacks: expected an array of model or route names"),
            std::string::npos);
  EXPECT_NE(routes_error(with_routes(R"({"r": {"targets": ["gpt"], "on": {"overload": "qwen"}}})"))
                .find("$.routes.r.on.overload: expected an error kind (rate_limited, "),
            std::string::npos);
  std::string cancelled =
      routes_error(with_routes(R"({"r": {"targets": ["gpt"], "on": {"cancelled": "qwen"}}})"));
  EXPECT_NE(cancelled.find("$.routes.r.on.cancelled: a cancelled call stops"), std::string::npos);
  EXPECT_EQ(cancelled.find(", cancelled"), std::string::npos) << cancelled;
  EXPECT_EQ(
      routes_error(with_routes(R"({"r": {"targets": ["gpt"], "when_all_cooling": "retry"}})")),
      "bad_request: llmrt.json: $.routes.r.when_all_cooling: expected \"wait\" or \"fail\", "
      "got \"retry\"");
  EXPECT_NE(routes_error(with_routes(R"({"r": {"targets": ["gpt"], "fallback": ["qwen"]}})"))
                .find("$.routes.r.fallback: expected one of the known keys (targets, strategy, "
                      "fallbacks, on, when_all_cooling)"),
            std::string::npos);
  EXPECT_NE(
      routes_error(with_routes(R"(["gpt"])")).find("$.routes: expected an object of named routes"),
      std::string::npos);
}

std::string model_error(std::string_view model_keys) {
  return routes_error(R"({"models": {"a": {"model": "m", )" + std::string(model_keys) + "}}}");
}

TEST(RouteConfig, RateLimitErrors) {
  EXPECT_EQ(model_error(R"("limits": {"rpm": -1})"),
            "bad_request: llmrt.json: $.models.a.limits.rpm: expected a non-negative integer, got "
            "-1");
  EXPECT_NE(model_error(R"("limits": {"tpm": 1.5})")
                .find("$.models.a.limits.tpm: expected a "
                      "non-negative integer"),
            std::string::npos);
  EXPECT_EQ(model_error(R"("limits": {"window": 0})"),
            "bad_request: llmrt.json: $.models.a.limits.window: expected a number of seconds "
            "above 0 and at most 3600, got 0");
  EXPECT_NE(model_error(R"("limits": {"window": 3601})")
                .find("$.models.a.limits.window: expected a number of seconds above 0 and at most "
                      "3600"),
            std::string::npos);
  EXPECT_NE(model_error(R"("limits": {"rps": 10})")
                .find("$.models.a.limits.rps: expected one of the known keys (max_event_bytes, "
                      "max_body_bytes, max_stream_bytes, rpm, tpm, key_rpm, key_tpm, window)"),
            std::string::npos);
}

TEST(RouteConfig, LimitBelowOneUnitPerWindowSuggestsALongerWindow) {
  // 5 a minute is 0.17 in 2 seconds: nothing could ever be sent.
  EXPECT_EQ(model_error(R"("limits": {"window": 2, "rpm": 5})"),
            "bad_request: llmrt.json: $.models.a.limits.rpm: 5 per minute is less than one "
            "request per window of 2 s; make \"window\" at least 12 seconds");
  EXPECT_EQ(model_error(R"("limits": {"key_tpm": 7, "window": 0.5})"),
            "bad_request: llmrt.json: $.models.a.limits.key_tpm: 7 per minute is less than one "
            "token per window of 0.5 s; make \"window\" at least 9 seconds");
  EXPECT_NE(model_error(R"("limits": {"tpm": 59, "window": 1})").find("limits.tpm: 59 per minute"),
            std::string::npos);
  EXPECT_NE(model_error(R"("limits": {"key_rpm": 1, "window": 59})").find("limits.key_rpm"),
            std::string::npos);
  // Exactly one a window is enough, and the default window is a minute.
  auto c = parse_config(
      R"({"models": {"a": {"model": "m", "limits": {"rpm": 60, "tpm": 60, "window": 1}},
                     "b": {"model": "m", "limits": {"rpm": 1}}}})",
      "llmrt.json");
  EXPECT_EQ(c.models.at("a").rate_limits.window, seconds(1));
  EXPECT_EQ(c.models.at("b").rate_limits.rpm, 1);
}

// JSON keeps one of two members of one name: the other model or setting would be dropped
// without a word.
TEST(RouteConfig, ANameGivenTwiceInOneObjectIsRefused) {
  EXPECT_EQ(routes_error(R"({"models": {"a": {"model": "m"}, "a": {"model": "n"}}})"),
            "bad_request: llmrt.json: $.models: expected each name once (one of the two would be "
            "dropped), got \"a\"");
  EXPECT_EQ(model_error(R"("keys": ["k"], "transport": {"read_timeout": 1, "read_timeout": 9})"),
            "bad_request: llmrt.json: $.models.a.transport: expected each name once (one of the "
            "two would be dropped), got \"read_timeout\"");
}

TEST(RouteConfig, AnEmptyListOfKeysIsRefused) {
  EXPECT_EQ(model_error(R"("keys": [])"),
            "bad_request: llmrt.json: $.models.a.keys: expected at least one key (\"ENV\" for the "
            "provider's variable), got []");
}

TEST(RouteConfig, TextThatIsNotUtf8IsRefusedWithItsPlace) {
  EXPECT_EQ(routes_error("{\"models\": {\"a\": {\"model\": \"m\xff\"}}}"),
            "bad_request: llmrt.json: line 1, column 30: expected valid JSON (Invalid encoding in "
            "string.)");
}

TEST(RouteConfig, PriceErrors) {
  EXPECT_EQ(model_error(R"("price": {"output": 10})"),
            "bad_request: llmrt.json: $.models.a.price.input: expected the price of a million "
            "prompt tokens (it is missing)");
  EXPECT_EQ(model_error(R"("price": {"input": 1})"),
            "bad_request: llmrt.json: $.models.a.price.output: expected the price of a million "
            "completion tokens (it is missing)");
  EXPECT_EQ(model_error(R"("price": {"input": 1, "output": 2, "reasoning": -3})"),
            "bad_request: llmrt.json: $.models.a.price.reasoning: expected a number from 0 to 1e9, "
            "got -3");
  EXPECT_NE(model_error(R"("price": {"input": "2.5", "output": 2})")
                .find("$.models.a.price.input: expected a number from 0 to 1e9, got \"2.5\""),
            std::string::npos);
  // A cost is a JSON number, which cannot be infinite: 1e308 a million tokens overflowed it.
  EXPECT_NE(model_error(R"("price": {"input": 1e308, "output": 2})")
                .find("$.models.a.price.input: expected a number from 0 to 1e9, got 1e308"),
            std::string::npos);
  EXPECT_NE(model_error(R"("price": {"input": 1, "output": 2, "cache_read": 1})")
                .find("$.models.a.price.cache_read: expected one of the known keys"),
            std::string::npos);
  EXPECT_NE(model_error(R"("price": 2.5)").find("$.models.a.price: expected an object, got 2.5"),
            std::string::npos);
}

TEST(RouteConfig, HealthErrors) {
  EXPECT_EQ(model_error(R"("health": {"failures": -1})"),
            "bad_request: llmrt.json: $.models.a.health.failures: expected an integer from 0 to "
            "1000000, got -1");
  EXPECT_EQ(model_error(R"("health": {"window": 0})"),
            "bad_request: llmrt.json: $.models.a.health.window: expected a number of seconds "
            "above 0 and at most 31536000, got 0");
  EXPECT_NE(model_error(R"("health": {"cooldown": -5})")
                .find("$.models.a.health.cooldown: expected a number of seconds from 0"),
            std::string::npos);
  EXPECT_NE(model_error(R"("health": {"retries": 2})")
                .find("$.models.a.health.retries: expected one of the known keys (failures, "
                      "window, cooldown)"),
            std::string::npos);
  // failures 0: never cools down.
  auto c = parse_config(R"({"models": {"a": {"model": "m", "health": {"failures": 0}}}})", "x");
  EXPECT_EQ(c.models.at("a").health.failures, 0);
}

}  // namespace
}  // namespace llmrt::core
