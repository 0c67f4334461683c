#pragma once
// What the C API's tests share: owners for the C handles, the events a stream gave as the C caller
// saw them, and a fixture with a runtime on the build tree's plugins and a model on an in-process
// mock server.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "llmrt/c/llmrt.h"
#include "llmrt/mock/mock_server.h"

namespace llmrt::capi_test {

// Owners for the C handles, so that a failed assertion frees them too.
struct CFree {
  void operator()(llmrt_runtime* p) const { llmrt_runtime_free(p); }
  void operator()(llmrt_model* p) const { llmrt_model_free(p); }
  void operator()(llmrt_result* p) const { llmrt_result_free(p); }
  void operator()(llmrt_stream* p) const { llmrt_stream_free(p); }
  void operator()(llmrt_cancel* p) const { llmrt_cancel_free(p); }
  void operator()(llmrt_error* p) const { llmrt_error_free(p); }
};
template <class T>
using Owned = std::unique_ptr<T, CFree>;

constexpr const char* kHello = R"([{"role": "user", "content": "Say hello"}])";

// The events of a stream as the C caller saw them, the strings copied.
struct SeenEvents {
  std::string content;
  std::string reasoning;
  std::string finish;
  std::string finish_raw;
  std::vector<std::string> tool_fragments;  // "index id name arguments"
  int usage_events = 0;
  llmrt_usage usage{};
};

inline void record(const llmrt_event* e, SeenEvents& seen) {
  switch (e->type) {
    case LLMRT_EVENT_CONTENT:
      seen.content.append(e->text, e->text_size);
      break;
    case LLMRT_EVENT_TOOL_CALL:
      seen.tool_fragments.push_back(std::to_string(e->index) + " " + e->id + " " + e->name + " " +
                                    e->arguments);
      break;
    case LLMRT_EVENT_FINISH:
      seen.finish = e->text;
      seen.finish_raw = e->raw;
      break;
    case LLMRT_EVENT_USAGE:
      ++seen.usage_events;
      seen.usage = e->usage;
      break;
    case LLMRT_EVENT_REASONING:
      seen.reasoning.append(e->text, e->text_size);
      break;
    case LLMRT_EVENT_WARNING:
      break;
  }
}

inline void on_event(const llmrt_event* e, void* user) {
  record(e, *static_cast<SeenEvents*>(user));
}

class CApi : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* paths[] = {LLMRT_TEST_PLUGIN_DIR};
    llmrt_error* error = nullptr;
    runtime_.reset(llmrt_runtime_new(paths, 1, &error));
    ASSERT_NE(runtime_, nullptr) << error->describe;
    EXPECT_EQ(error, nullptr);
    EXPECT_STREQ(llmrt_runtime_load_errors(runtime_.get()), "");
    model_ = model_from_json(model_json());
    ASSERT_NE(model_, nullptr);
  }

  std::string model_json() const {
    return R"({"provider": "openai", "model": "gpt-test", "api_base": ")" + server_.base_url() +
           R"(/v1", "keys": ["sk-test-key-0001"], "retry": 0})";
  }
  Owned<llmrt_model> model_from_json(const std::string& json) {
    llmrt_error* error = nullptr;
    Owned<llmrt_model> model(llmrt_model_from_json(runtime_.get(), json.c_str(), &error));
    Owned<llmrt_error> owned(error);
    EXPECT_EQ(error, nullptr) << error->describe;
    return model;
  }
  // The error of a call expected to fail.
  static Owned<llmrt_error> failure(llmrt_error* error) {
    EXPECT_NE(error, nullptr);
    return Owned<llmrt_error>(error);
  }
  static std::string content(const llmrt_result* result) {
    size_t size = 0;
    const char* text = llmrt_result_content(result, &size);
    return std::string(text, size);
  }

  mock::MockServer server_;
  Owned<llmrt_runtime> runtime_;
  Owned<llmrt_model> model_;
  const std::string reply_ = mock::Scenario().content;
};

}  // namespace llmrt::capi_test
