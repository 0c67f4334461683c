// The fixture of the route tests: three mock servers, one per deployment, so that each one's
// failures, latency and request count are its own; models on them; a Runtime made from the
// configuration the test wrote.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "llmrt/core/runtime.h"
#include "llmrt/mock/mock_server.h"

namespace llmrt::test {

class RouteFixture : public ::testing::Test {
 protected:
  // An OpenAI-compatible deployment on `server`, without retries or waits.
  static core::ModelConfig openai(const std::string& name, const mock::MockServer& server) {
    core::ModelConfig c;
    c.name = name;
    c.provider = "openai";
    c.model = "gpt-4o-mini";
    c.api_base = server.base_url() + "/v1";
    c.keys = {"sk-test-" + name};
    c.retry.max_retries = 0;
    c.wait_hook = [](std::chrono::milliseconds) {};
    return c;
  }
  static core::ModelConfig anthropic(const std::string& name, const mock::MockServer& server) {
    core::ModelConfig c = openai(name, server);
    c.provider = "anthropic";
    c.model = "claude-sonnet-4-5";
    return c;
  }
  static core::RouteConfig route(std::vector<core::RouteTarget> targets,
                                 core::RouteStrategy strategy = core::RouteStrategy::weighted) {
    core::RouteConfig r;
    r.targets = std::move(targets);
    r.strategy = strategy;
    return r;
  }
  static mock::Scenario failing(int status) {
    mock::Scenario s;
    s.status = status;
    return s;
  }
  static std::size_t completions(const mock::MockServer& server) {
    return server.requests().size();
  }
  static core::ParamOverrides output_limit(int tokens) {
    core::ParamOverrides o;
    o.set("max_new_tokens", tokens);
    return o;
  }

  // A Runtime for config_ as it is now, and its model or route `name`.
  core::ChatModel make(const std::string& name) {
    runtime_ = std::make_unique<core::Runtime>(
        config_, std::vector<std::filesystem::path>{LLMRT_TEST_PLUGIN_DIR});
    return runtime_->model(name);
  }

  mock::MockServer a_, b_, c_;
  core::RuntimeConfig config_;
  std::unique_ptr<core::Runtime> runtime_;
  std::vector<Message> hello_{{.role = "user", .content = "Say hello"}};
};

}  // namespace llmrt::test
