// The C API's inputs: bad JSON, NULL arguments, configuration files with routes, runtimes and
// the names of its codes.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "llmrt/sdk/error.h"
#include "support/temp_dir.h"

#include "c_api_fixture.h"

namespace llmrt::capi_test {
namespace {

TEST_F(CApi, BadJsonInputIsABadRequestNamingTheArgumentAndWhatWasWrong) {
  auto chat_error = [&](const char* messages, const char* params) {
    llmrt_error* error = nullptr;
    EXPECT_EQ(llmrt_chat(model_.get(), messages, params, nullptr, &error), nullptr);
    Owned<llmrt_error> e = failure(error);
    EXPECT_EQ(e->kind, LLMRT_BAD_REQUEST);
    return std::string(e->describe);
  };
  EXPECT_EQ(chat_error(R"([{"role": "user", "content": }])", nullptr)
                .rfind("bad_request: messages_json: line 1, column 30: invalid JSON", 0),
            0u)
      << chat_error(R"([{"role": "user", "content": }])", nullptr);
  EXPECT_NE(chat_error(R"([{"role": "user", "content": "hi", "colour": 1}])", nullptr)
                .find("messages_json: [0].colour"),
            std::string::npos);
  EXPECT_NE(chat_error("[]", nullptr).find("messages_json"), std::string::npos);
  EXPECT_NE(chat_error(kHello, R"(["temperature"])")
                .find("params_json: expected a JSON object of parameters, got [\"temperature\"]"),
            std::string::npos);
  EXPECT_NE(chat_error(kHello, R"({"temperature": )").find("params_json: invalid JSON"),
            std::string::npos);
  EXPECT_NE(chat_error(kHello, R"({"temperature": "hot"})").find("temperature"), std::string::npos);
  EXPECT_NE(chat_error(kHello, R"({"": 1})").find("params_json: parameter with an empty name"),
            std::string::npos);
  EXPECT_TRUE(server_.requests().empty());  // nothing was sent

  llmrt_error* error = nullptr;
  EXPECT_EQ(llmrt_model_from_json(runtime_.get(), R"({"model": "m", "retry": "two"})", &error),
            nullptr);
  Owned<llmrt_error> e = failure(error);
  EXPECT_EQ(e->kind, LLMRT_BAD_REQUEST);
  EXPECT_STREQ(e->describe,
               R"(bad_request: config_json: $.retry: expected a non-negative integer, got "two")");
  EXPECT_EQ(llmrt_model_from_json(runtime_.get(), R"({"provider": "nope", "model": "m"})", &error),
            nullptr);
  EXPECT_EQ(failure(error)->kind, LLMRT_NOT_FOUND);
}

TEST_F(CApi, NullArgumentsAreErrorsNotCrashes) {
  llmrt_error* error = nullptr;
  auto expect_null_error = [&](const char* describe) {
    Owned<llmrt_error> e = failure(error);
    EXPECT_EQ(e->kind, LLMRT_INVALID_ARGUMENT);
    EXPECT_STREQ(e->describe, describe);
    error = nullptr;
  };
  EXPECT_EQ(llmrt_chat(nullptr, kHello, nullptr, nullptr, &error), nullptr);
  expect_null_error("invalid_argument: llmrt_chat: model is NULL");
  EXPECT_EQ(llmrt_chat(model_.get(), nullptr, nullptr, nullptr, &error), nullptr);
  expect_null_error("invalid_argument: llmrt_chat: messages_json is NULL");
  EXPECT_EQ(llmrt_chat_prompt(model_.get(), nullptr, &error), nullptr);
  expect_null_error("invalid_argument: llmrt_chat_prompt: prompt is NULL");
  EXPECT_EQ(llmrt_chat_stream(model_.get(), kHello, nullptr, nullptr, nullptr, nullptr, &error),
            nullptr);
  expect_null_error("invalid_argument: llmrt_chat_stream: on_event is NULL");
  EXPECT_EQ(llmrt_stream_open(nullptr, kHello, nullptr, nullptr, &error), nullptr);
  expect_null_error("invalid_argument: llmrt_stream_open: model is NULL");
  const llmrt_event* event = nullptr;
  EXPECT_EQ(llmrt_stream_next(nullptr, &event, &error), LLMRT_INVALID_ARGUMENT);
  expect_null_error("invalid_argument: llmrt_stream_next: stream is NULL");
  EXPECT_EQ(llmrt_stream_result(nullptr, &error), nullptr);
  expect_null_error("invalid_argument: llmrt_stream_result: stream is NULL");
  EXPECT_EQ(llmrt_model_by_name(runtime_.get(), nullptr, &error), nullptr);
  expect_null_error("invalid_argument: llmrt_model_by_name: name is NULL");
  EXPECT_EQ(llmrt_model_from_json(nullptr, "{}", &error), nullptr);
  expect_null_error("invalid_argument: llmrt_model_from_json: runtime is NULL");
  EXPECT_EQ(llmrt_runtime_from_config(nullptr, &error), nullptr);
  expect_null_error("invalid_argument: llmrt_runtime_from_config: path is NULL");
  EXPECT_EQ(llmrt_runtime_new(nullptr, 1, &error), nullptr);
  expect_null_error("invalid_argument: llmrt_runtime_new: plugin_paths is NULL");

  // Without an error out-parameter the code alone tells.
  EXPECT_EQ(llmrt_chat(nullptr, kHello, nullptr, nullptr, nullptr), nullptr);
  EXPECT_EQ(llmrt_stream_next(nullptr, nullptr, nullptr), LLMRT_INVALID_ARGUMENT);
  // Accessors of no result read as empty; freeing nothing does nothing.
  size_t size = 7;
  EXPECT_STREQ(llmrt_result_content(nullptr, &size), "");
  EXPECT_EQ(size, 0u);
  EXPECT_STREQ(llmrt_result_tool_calls_json(nullptr), "[]");
  EXPECT_EQ(llmrt_result_usage(nullptr, nullptr), 0);
  EXPECT_STREQ(llmrt_model_name(nullptr), "");
  llmrt_cancel_cancel(nullptr);
  llmrt_stream_cancel(nullptr);
  llmrt_result_free(nullptr);
  llmrt_stream_free(nullptr);
  llmrt_model_free(nullptr);
  llmrt_runtime_free(nullptr);
  llmrt_cancel_free(nullptr);
  llmrt_error_free(nullptr);
}

TEST_F(CApi, ModelFromAConfigFileRouteFallsBackAndNamesWhoServed) {
  test::TempDir dir;
  const std::string base = server_.base_url() + "/v1";
  const std::string file =
      dir.write("llmrt.json", R"({"plugin_paths": [")" LLMRT_TEST_PLUGIN_DIR R"("],
        "models": {
          "primary": {"model": "gpt-a", "api_base": ")" +
                                  base + R"(", "keys": ["sk-a"], "retry": 0},
          "backup": {"model": "gpt-b", "api_base": ")" +
                                  base + R"(", "keys": ["sk-b"], "retry": 0}
        },
        "routes": {"smart": {"targets": ["primary"], "fallbacks": ["backup"]}}})");
  llmrt_error* error = nullptr;
  Owned<llmrt_runtime> runtime(llmrt_runtime_from_config(file.c_str(), &error));
  ASSERT_NE(runtime, nullptr) << error->describe;
  Owned<llmrt_model> smart(llmrt_model_by_name(runtime.get(), "smart", &error));
  ASSERT_NE(smart, nullptr) << error->describe;
  EXPECT_STREQ(llmrt_model_name(smart.get()), "smart");

  mock::Scenario down;
  down.status = 500;
  server_.push(down);
  Owned<llmrt_result> result(llmrt_chat_prompt(smart.get(), "hi", &error));
  ASSERT_NE(result, nullptr) << error->describe;
  EXPECT_STREQ(llmrt_result_served_by(result.get()), "backup");
  EXPECT_EQ(content(result.get()), reply_);

  EXPECT_EQ(llmrt_model_by_name(runtime.get(), "clever", &error), nullptr);
  Owned<llmrt_error> e = failure(error);
  EXPECT_EQ(e->kind, LLMRT_NOT_FOUND);
  EXPECT_NE(std::string(e->message).find("models: backup, primary; routes: smart"),
            std::string::npos)
      << e->message;

  EXPECT_EQ(llmrt_runtime_from_config((dir.path() + "/missing.json").c_str(), &error), nullptr);
  e = failure(error);
  EXPECT_EQ(e->kind, LLMRT_BAD_REQUEST);
  EXPECT_NE(std::string(e->message).find("missing.json: cannot read the file"), std::string::npos);
}

TEST_F(CApi, ModelOutlivesItsRuntime) {
  runtime_.reset();
  llmrt_error* error = nullptr;
  Owned<llmrt_result> result(llmrt_chat_prompt(model_.get(), "hi", &error));
  ASSERT_NE(result, nullptr) << error->describe;
  EXPECT_EQ(content(result.get()), reply_);
}

TEST(CApiRuntime, PluginFilesThatFailToLoadAreListedAndTheOthersStillLoad) {
  test::TempDir dir;
  const std::string broken = dir.write("libllmrt_broken.so", "not a shared library");
  const char* paths[] = {broken.c_str(), LLMRT_TEST_PLUGIN_DIR};
  llmrt_error* error = nullptr;
  Owned<llmrt_runtime> runtime(llmrt_runtime_new(paths, 2, &error));
  ASSERT_NE(runtime, nullptr) << error->describe;
  const std::string errors = llmrt_runtime_load_errors(runtime.get());
  EXPECT_NE(errors.find(broken), std::string::npos) << errors;
  EXPECT_EQ(std::count(errors.begin(), errors.end(), '\n'), 1) << errors;
  Owned<llmrt_model> model(llmrt_model_from_json(
      runtime.get(), R"({"provider": "anthropic", "model": "m", "keys": ["sk-a"]})", &error));
  EXPECT_NE(model, nullptr) << error->describe;
}

// A path that is not there would load nothing without a word.
TEST(CApiRuntime, APluginPathThatDoesNotExistIsRefused) {
  const char* paths[] = {LLMRT_TEST_PLUGIN_DIR, "/nonexistent/llmrt-plugins"};
  llmrt_error* error = nullptr;
  EXPECT_EQ(llmrt_runtime_new(paths, 2, &error), nullptr);
  ASSERT_NE(error, nullptr);
  Owned<llmrt_error> e(error);
  EXPECT_EQ(e->kind, LLMRT_INVALID_ARGUMENT);
  EXPECT_STREQ(e->describe,
               "invalid_argument: llmrt_runtime_new: plugin_paths: no such file or folder: "
               "/nonexistent/llmrt-plugins");
}

TEST(CApiCodes, NamesAreTheCoresKindNames) {
  for (int kind = LLMRT_RATE_LIMITED; kind <= LLMRT_CANCELLED; ++kind) {
    std::optional<ErrorKind> core = error_kind_from_string(llmrt_code_name(llmrt_code(kind)));
    ASSERT_TRUE(core.has_value()) << llmrt_code_name(llmrt_code(kind));
    EXPECT_EQ(static_cast<int>(*core) + 1, kind);
  }
  EXPECT_STREQ(llmrt_code_name(LLMRT_OK), "ok");
  EXPECT_STREQ(llmrt_code_name(LLMRT_INVALID_ARGUMENT), "invalid_argument");
  EXPECT_STREQ(llmrt_code_name(llmrt_code(55)), "unknown");
  EXPECT_STRNE(llmrt_version(), "");
}

}  // namespace
}  // namespace llmrt::capi_test
