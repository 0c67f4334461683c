// A plugin says which parameters it did not send as set (HttpRequest::warnings): one warning
// per parameter, only for parameters that were set, through the real plugin libraries.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "support/contains.h"
#include "support/load_plugin.h"

namespace llmrt {
namespace {

using test::contains;

ChatRequest request(const std::string& model, const std::string& api_base, GenParams params) {
  ChatRequest r;
  r.model = model;
  r.api_base = api_base;
  r.params = std::move(params);
  r.messages = {{.role = "user", .content = "hi"}};
  return r;
}

HttpRequest build_with(const std::string& plugin, const ChatRequest& r) {
  return test::load_plugin(plugin)->build_request(r, Credentials{"k", ""});
}

// The one warning that mentions `needle`; a failure when there is none or more.
std::string the_warning(const HttpRequest& http, const std::string& needle) {
  std::string found;
  int count = 0;
  for (const std::string& w : http.warnings) {
    if (contains(w, needle)) {
      found = w;
      ++count;
    }
  }
  EXPECT_EQ(count, 1) << needle << " in " << ::testing::PrintToString(http.warnings);
  return found;
}

bool has_key(const HttpRequest& http, const char* key, bool in_parameters = false) {
  rapidjson::Document doc;
  doc.Parse(http.body.c_str());
  const rapidjson::Value& where = in_parameters ? doc["parameters"] : doc;
  return where.HasMember(key);
}

const char* const kOpenAi = "http://127.0.0.1:9/v1";
const char* const kNative = "http://127.0.0.1:9/api/v1";
const char* const kCompatible = "http://127.0.0.1:9/compatible-mode/v1";

TEST(ParamWarnings, NothingSetNothingToSay) {
  for (auto [plugin, base] : {std::pair{"openai", kOpenAi}, std::pair{"qwen", kNative},
                              std::pair{"qwen", kCompatible}, std::pair{"internlm", kOpenAi}}) {
    HttpRequest http = build_with(plugin, request("o3-mini", base, {}));
    EXPECT_TRUE(http.warnings.empty()) << plugin << ::testing::PrintToString(http.warnings);
  }
}

TEST(ParamWarnings, OpenAiSaysTopKIsNotSentAndTheCapLoweredMaxTokens) {
  HttpRequest http =
      build_with("openai", request("gpt-4o", kOpenAi, {.max_new_tokens = 10000, .top_k = 40}));
  EXPECT_EQ(the_warning(http, "top_k"),
            "top_k is not a parameter of the OpenAI chat API: not sent");
  EXPECT_EQ(the_warning(http, "max_tokens_cap"),
            "max_new_tokens 10000 lowered to max_tokens 4096 by the option max_tokens_cap");
  EXPECT_EQ(http.warnings.size(), 2u);
  EXPECT_FALSE(has_key(http, "top_k"));

  // The caller's own top_k extra is sent as given: nothing dropped, nothing to say.
  ChatRequest own = request("gpt-4o", kOpenAi, {.max_new_tokens = 100});
  own.params.extras["top_k"] = "5";
  EXPECT_TRUE(build_with("openai", own).warnings.empty());
}

TEST(ParamWarnings, ReasoningModelsSayWhichSamplingParametersTheyDrop) {
  HttpRequest http = build_with(
      "openai",
      request("o3-mini", kOpenAi, {.top_p = 0.8, .temperature = 0.8, .repetition_penalty = 0.0}));
  EXPECT_EQ(the_warning(http, "temperature"),
            "temperature is not taken by the reasoning model o3-mini: not sent");
  EXPECT_FALSE(the_warning(http, "top_p").empty());
  EXPECT_FALSE(the_warning(http, "frequency_penalty").empty());
  EXPECT_EQ(http.warnings.size(), 3u);
  EXPECT_FALSE(has_key(http, "temperature"));
  // Only what was set: temperature alone gives one warning.
  EXPECT_EQ(build_with("openai", request("gpt-5", kOpenAi, {.temperature = 1.0})).warnings.size(),
            1u);
}

TEST(ParamWarnings, QwenNativeSaysRepetitionPenaltyZeroIsNotSent) {
  HttpRequest http =
      build_with("qwen", request("qwen-max", kNative, {.repetition_penalty = 0.0, .top_k = 40}));
  EXPECT_TRUE(contains(the_warning(http, "repetition_penalty"), "not sent"));
  EXPECT_EQ(http.warnings.size(), 1u);  // top_k is a DashScope parameter
  EXPECT_FALSE(has_key(http, "repetition_penalty", true));
  EXPECT_TRUE(has_key(http, "top_k", true));
  HttpRequest penalised =
      build_with("qwen", request("qwen-max", kNative, {.repetition_penalty = 1.1}));
  EXPECT_TRUE(penalised.warnings.empty());
  EXPECT_TRUE(has_key(penalised, "repetition_penalty", true));

  ChatRequest capped = request("qwen-max", kNative, {.max_new_tokens = 9000});
  capped.options["max_tokens_cap"] = "2000";
  EXPECT_EQ(the_warning(build_with("qwen", capped), "max_tokens_cap"),
            "max_new_tokens 9000 lowered to max_tokens 2000 by the option max_tokens_cap");
}

TEST(ParamWarnings, QwenCompatibleModeSaysTopKIsNotSent) {
  HttpRequest http = build_with("qwen", request("qwen-max", kCompatible, {.top_k = 40}));
  EXPECT_TRUE(contains(the_warning(http, "top_k"), "DashScope's OpenAI-compatible mode"));
}

TEST(ParamWarnings, InternLmSaysWhatThePuyuApiDoesNotTake) {
  GenParams p{.max_new_tokens = 512,
              .top_p = 0.8,
              .temperature = 0.8,
              .repetition_penalty = 0.0,
              .top_k = 40,
              .stop_words = {"END"},
              .seed = 7,
              .json_mode = true};
  HttpRequest http = build_with("internlm", request("internlm3-latest", kOpenAi, p));
  for (auto [dropped, key] :
       {std::pair{"top_k", "top_k"}, std::pair{"repetition_penalty", "frequency_penalty"},
        std::pair{"stop_words", "stop"}, std::pair{"seed", "seed"},
        std::pair{"json_mode", "response_format"}}) {
    EXPECT_TRUE(contains(the_warning(http, dropped), "the Puyu chat API: not sent")) << dropped;
    EXPECT_FALSE(has_key(http, key)) << key;
  }
  EXPECT_EQ(http.warnings.size(), 5u) << ::testing::PrintToString(http.warnings);
  EXPECT_TRUE(has_key(http, "max_tokens"));
  EXPECT_TRUE(has_key(http, "temperature"));
  EXPECT_TRUE(has_key(http, "top_p"));
}

}  // namespace
}  // namespace llmrt
