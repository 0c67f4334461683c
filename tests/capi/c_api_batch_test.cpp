// llmrt_chat_batch through the real path: each conversation's outcome handed to the C caller as
// it finishes (its own to free), bad inputs refused by index before anything is sent, a cancel
// token ending what has not finished.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "c_api_fixture.h"

namespace llmrt::capi_test {
namespace {

// What on_item was told, in the order it was told.
struct Told {
  std::vector<size_t> order;
  std::map<size_t, std::string> contents;
  std::map<size_t, Owned<llmrt_error>> errors;
  std::vector<std::thread::id> threads;
};

void on_item(size_t index, llmrt_result* result, llmrt_error* error, void* user) {
  auto& told = *static_cast<Told*>(user);
  told.order.push_back(index);
  told.threads.push_back(std::this_thread::get_id());
  // Exactly one of them, each the callee's own.
  EXPECT_NE(result == nullptr, error == nullptr);
  if (result != nullptr) {
    size_t size = 0;
    const char* text = llmrt_result_content(result, &size);
    told.contents[index] = std::string(text, size);
    llmrt_result_free(result);
  } else {
    told.errors[index] = Owned<llmrt_error>(error);
  }
}

TEST_F(CApi, BatchHandsEachOutcomeOverAsItFinishesOnTheCallingThread) {
  const char* messages[] = {kHello, kHello, kHello, kHello};
  const char* params[] = {R"({"mock": {"stall_ms": 400, "content": "late"}})", nullptr,
                          R"({"mock": {"status": 500}})", R"({"mock": {"content": "own"}})"};
  Told told;
  llmrt_error* error = nullptr;
  ASSERT_EQ(llmrt_chat_batch(model_.get(), messages, params, 4, 4, nullptr, on_item, &told, &error),
            LLMRT_OK)
      << error->describe;
  EXPECT_EQ(error, nullptr);
  ASSERT_EQ(told.order.size(), 4U);
  EXPECT_EQ(told.order.back(), 0U);  // the stalled one, first in the list, finished last
  EXPECT_EQ(told.contents[0], "late");
  EXPECT_EQ(told.contents[1], reply_);
  EXPECT_EQ(told.contents[3], "own");
  ASSERT_EQ(told.errors.count(2), 1U);
  EXPECT_EQ(told.errors[2]->kind, LLMRT_SERVER);
  EXPECT_EQ(told.errors[2]->http_status, 500);
  for (std::thread::id id : told.threads) EXPECT_EQ(id, std::this_thread::get_id());
}

TEST_F(CApi, BatchSharesOneParamsStringAcrossItsConversations) {
  const char* shared = R"({"mock": {"content": "same"}})";
  std::vector<const char*> messages(30, kHello);
  std::vector<const char*> params(30, shared);
  Told told;
  ASSERT_EQ(llmrt_chat_batch(model_.get(), messages.data(), params.data(), messages.size(), 0,
                             nullptr, on_item, &told, nullptr),
            LLMRT_OK);
  ASSERT_EQ(told.contents.size(), 30U);
  for (const auto& [index, content] : told.contents) EXPECT_EQ(content, "same") << index;
}

TEST_F(CApi, BatchRefusesABadInputByItsIndexBeforeSendingAnything) {
  Told told;
  const auto refused = [&](std::vector<const char*> messages, std::vector<const char*> params,
                           llmrt_code code, const std::string& named) {
    llmrt_error* error = nullptr;
    EXPECT_EQ(
        llmrt_chat_batch(model_.get(), messages.data(), params.empty() ? nullptr : params.data(),
                         messages.size(), 2, nullptr, on_item, &told, &error),
        code);
    Owned<llmrt_error> owned = failure(error);
    ASSERT_NE(owned, nullptr);
    EXPECT_NE(std::string(owned->message).find(named), std::string::npos) << owned->message;
  };
  refused({kHello, nullptr}, {}, LLMRT_INVALID_ARGUMENT, "messages_json[1] is NULL");
  refused({kHello, kHello, "[{\"role\": "}, {}, LLMRT_BAD_REQUEST, "messages_json[2]");
  refused({kHello, kHello}, {nullptr, R"({"temperature": })"}, LLMRT_BAD_REQUEST,
          "params_json[1]: ");
  refused({kHello}, {"[1]"}, LLMRT_BAD_REQUEST, "params_json[0]: expected a JSON object");
  refused({kHello, kHello}, {nullptr, R"({"": 1})"}, LLMRT_BAD_REQUEST,
          "params_json[1]: parameter with an empty name");
  EXPECT_TRUE(told.order.empty());
  EXPECT_TRUE(server_.requests().empty());

  llmrt_error* error = nullptr;
  const char* messages[] = {kHello};
  EXPECT_EQ(
      llmrt_chat_batch(model_.get(), messages, nullptr, 1, 1, nullptr, nullptr, nullptr, &error),
      LLMRT_INVALID_ARGUMENT);
  EXPECT_NE(std::string(failure(error)->message).find("on_item is NULL"), std::string::npos);
  EXPECT_EQ(
      llmrt_chat_batch(model_.get(), nullptr, nullptr, 1, 1, nullptr, on_item, &told, nullptr),
      LLMRT_INVALID_ARGUMENT);
  // Nothing to run: nothing is told.
  EXPECT_EQ(
      llmrt_chat_batch(model_.get(), nullptr, nullptr, 0, 1, nullptr, on_item, &told, nullptr),
      LLMRT_OK);
  EXPECT_TRUE(told.order.empty());
}

TEST_F(CApi, BatchHandsAConversationTheModelRefusesToOnItemInPlace) {
  const char* messages[] = {kHello, kHello, R"([{"role": "narrator", "content": "hi"}])"};
  const char* params[] = {nullptr, R"({"temperature": "hot"})", nullptr};
  Told told;
  ASSERT_EQ(
      llmrt_chat_batch(model_.get(), messages, params, 3, 3, nullptr, on_item, &told, nullptr),
      LLMRT_OK);
  EXPECT_EQ(told.contents[0], reply_);
  ASSERT_EQ(told.errors.size(), 2U);
  EXPECT_EQ(told.errors[1]->kind, LLMRT_BAD_REQUEST);
  EXPECT_NE(std::string(told.errors[1]->message).find("temperature"), std::string::npos);
  EXPECT_EQ(told.errors[2]->kind, LLMRT_BAD_REQUEST);
  EXPECT_NE(std::string(told.errors[2]->message).find("narrator"), std::string::npos);
  EXPECT_EQ(server_.requests().size(), 1U);
}

TEST_F(CApi, BatchCancelledFromAnotherThreadEndsEachUnfinishedConversation) {
  Owned<llmrt_cancel> cancel(llmrt_cancel_new(nullptr));
  const char* stalled = R"({"mock": {"stall_ms": 30000}})";
  const char* messages[] = {kHello, kHello, kHello};
  const char* params[] = {stalled, stalled, stalled};
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    llmrt_cancel_cancel(cancel.get());
  });
  Told told;
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(
      llmrt_chat_batch(model_.get(), messages, params, 3, 3, cancel.get(), on_item, &told, nullptr),
      LLMRT_OK);
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  ASSERT_EQ(told.errors.size(), 3U);
  for (const auto& [index, error] : told.errors) EXPECT_EQ(error->kind, LLMRT_CANCELLED) << index;
}

}  // namespace
}  // namespace llmrt::capi_test
