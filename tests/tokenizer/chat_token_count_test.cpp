// Counting a chat prompt through a ChatModel on the real openai plugin, against the prompt
// tokens OpenAI's API reported for the example of its "How to count tokens with tiktoken"
// cookbook: 129 for the cl100k_base chat models, 127 for gpt-3.5-turbo-0301, 124 for gpt-4o.
#include <gtest/gtest.h>

#include "llmrt/core/chat_model.h"
#include "llmrt/core/chat_token_count.h"
#include "llmrt/sdk/error.h"
#include "support/load_plugin.h"

namespace llmrt::test {
namespace {

using core::ChatModel;
using core::ModelConfig;

ChatModel model_named(const std::string& name, const std::string& encoding = {}) {
  ModelConfig config;
  config.model = name;
  config.keys = {"sk-test"};
  config.encoding = encoding;
  return ChatModel(load_plugin("openai"), config);
}

std::vector<Message> cookbook_example() {
  auto system = [](std::string content, std::optional<std::string> name = std::nullopt) {
    return Message{.role = "system", .content = std::move(content), .name = std::move(name)};
  };
  return {
      system("You are a helpful, pattern-following assistant that translates corporate jargon "
             "into plain English."),
      system("New synergies will help drive top-line growth.", "example_user"),
      system("Things working well together will increase revenue.", "example_assistant"),
      system("Let's circle back when we have more bandwidth to touch base on opportunities for "
             "increased leverage.",
             "example_user"),
      system("Let's talk later when we're less busy about how to do better.", "example_assistant"),
      {.role = "user",
       .content = "This late pivot means we don't have time to boil the ocean for the client "
                  "deliverable."},
  };
}

TEST(ChatTokenCount, MatchesThePromptTokensOpenAIReported) {
  const auto messages = cookbook_example();
  for (const char* name : {"gpt-3.5-turbo", "gpt-4-0613", "gpt-4"}) {
    EXPECT_EQ(model_named(name).count_tokens(messages), 129U) << name;
  }
  EXPECT_EQ(model_named("gpt-3.5-turbo-0301").count_tokens(messages), 127U);
  for (const char* name : {"gpt-4o", "gpt-4o-mini"}) {
    EXPECT_EQ(model_named(name).count_tokens(messages), 124U) << name;
  }
}

TEST(ChatTokenCount, InternalRolesAreMappedFirst) {
  // The default meta template sends "environment" as "system": both count the same.
  const ChatModel model = model_named("gpt-4o");
  const std::vector<Message> internal{{.role = "environment", .content = "The tool said 42."}};
  const std::vector<Message> api{{.role = "system", .content = "The tool said 42."}};
  EXPECT_EQ(model.count_tokens(internal), model.count_tokens(api));
  EXPECT_EQ(model.count_tokens({}), 3U);  // the reply's priming alone
}

TEST(ChatTokenCount, TokenizeUsesTheModelsEncodingOrTheConfiguredOne) {
  EXPECT_EQ(model_named("gpt-4o").tokenize("hello world"),
            (std::vector<core::TokenId>{24912, 2375}));
  EXPECT_EQ(model_named("gpt-4").tokenize("hello world"),
            (std::vector<core::TokenId>{15339, 1917}));
  EXPECT_EQ(model_named("qwen-max", "cl100k_base").tokenize("hello world"),
            (std::vector<core::TokenId>{15339, 1917}));
  try {
    (void)model_named("qwen-max").tokenize("hello");
    ADD_FAILURE() << "no error for a model without a known encoding";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    EXPECT_NE(e.info().message.find("\"encoding\" setting"), std::string::npos);
  }
  // A special token's spelling in a message is text, never the special token.
  const ChatModel model = model_named("gpt-4o");
  EXPECT_EQ(model.count_tokens({{.role = "user", .content = "<|endoftext|>"}}),
            3 + 1 + model.tokenizer()->count("<|endoftext|>", core::SpecialTokens::as_text) + 3);
}

}  // namespace
}  // namespace llmrt::test
