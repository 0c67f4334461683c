#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <mutex>

#include "llmrt/core/runtime.h"
#include "llmrt/mock/mock_server.h"

namespace llmrt::test {

// A mock provider server on loopback and a runtime that loaded the real plugins from the
// build tree: the whole path of a call, nothing faked.
class EndToEnd : public ::testing::Test {
 protected:
  core::ModelConfig config() const {
    core::ModelConfig c;
    c.provider = "openai";
    c.model = "gpt-test";
    c.api_base = server_.base_url() + "/v1";
    c.keys = {"sk-test-key-0001"};
    // Tests that are not about retries see each failure as it is; those that are opt in. Waits
    // between attempts are recorded, not slept.
    c.retry.max_retries = 0;
    c.wait_hook = [this](std::chrono::milliseconds d) {
      std::lock_guard lock(waits_mutex_);
      waits_.push_back(d);
    };
    return c;
  }
  std::vector<std::chrono::milliseconds> waits() const {
    std::lock_guard lock(waits_mutex_);
    return waits_;
  }
  core::ChatModel model() const { return runtime_.model(config()); }

  static rapidjson::Document json(const std::string& text) {
    rapidjson::Document doc;
    doc.Parse(text.c_str());
    EXPECT_FALSE(doc.HasParseError()) << text;
    return doc;
  }

  mutable std::mutex waits_mutex_;
  mutable std::vector<std::chrono::milliseconds> waits_;
  mock::MockServer server_;
  core::Runtime runtime_{{LLMRT_TEST_PLUGIN_DIR}};
  std::vector<Message> hello_{{.role = "user", .content = "Say hello"}};
};

}  // namespace llmrt::test
