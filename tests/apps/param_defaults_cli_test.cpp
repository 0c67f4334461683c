// What `llmrt chat` sends when nothing is set (nothing), with lagent's preset (lagent's values
// exactly), and the warnings a plugin gives for what it did not send: the real CLI, the real
// plugins, the mock server recording each body.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>

#include "llmrt/mock/mock_server.h"
#include "support/contains.h"
#include "support/run_process.h"
#include "support/temp_dir.h"

namespace llmrt {
namespace {

using test::contains;
using test::run_process;

struct Flavour {
  const char* name;
  const char* provider;
  const char* api_path;
  bool native;  // DashScope's native body: the parameters are in "parameters"
};

const Flavour kFlavours[] = {
    {"openai", "openai", "/v1", false},
    {"qwen_native", "qwen", "/api/v1", true},
    {"qwen_compatible", "qwen", "/compatible-mode/v1", false},
    {"internlm", "internlm", "/puyu/api/v1", false},
};

// Every name a parameter of llmrt's goes by on these wires.
const char* const kParameterKeys[] = {"temperature",
                                      "top_p",
                                      "max_tokens",
                                      "max_completion_tokens",
                                      "frequency_penalty",
                                      "top_k",
                                      "repetition_penalty",
                                      "seed",
                                      "stop"};

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

class ParamDefaults : public ::testing::TestWithParam<Flavour> {
 protected:
  std::vector<std::string> chat(const std::vector<std::string>& extra) const {
    std::vector<std::string> argv{
        LLMRT_TEST_CLI, "chat", "--provider", GetParam().provider,
        "--model",      "m",    "--api-base", server_.base_url() + GetParam().api_path,
        "--key",        "k",    "--retry",    "0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }
  // A configuration file naming one model of this flavour, with `more` members added.
  std::vector<std::string> chat_with_config(const std::string& more,
                                            const std::vector<std::string>& extra) {
    std::string config = dir_.write(
        "llmrt.json", std::string(R"({"models":{"m":{"provider":")") + GetParam().provider +
                          R"(","model":"m","keys":["k"],"retry":0,"api_base":")" +
                          server_.base_url() + GetParam().api_path + "\"" + more + "}}}");
    std::vector<std::string> argv{LLMRT_TEST_CLI, "chat", "--config", config};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }
  // The generation parameters of the last request (DashScope native: its "parameters").
  rapidjson::Document sent() const {
    rapidjson::Document body;
    body.Parse(server_.last_request().body.c_str());
    EXPECT_FALSE(body.HasParseError());
    rapidjson::Document params;
    if (GetParam().native) {
      params.CopyFrom(body["parameters"], params.GetAllocator());
    } else {
      params.CopyFrom(body, params.GetAllocator());
    }
    return params;
  }
  void expect_lagents_values(const rapidjson::Document& p) const {
    ASSERT_TRUE(p.HasMember("max_tokens")) << server_.last_request().body;
    EXPECT_EQ(p["max_tokens"].GetInt(), 512);
    EXPECT_DOUBLE_EQ(p["temperature"].GetDouble(), 0.8);
    EXPECT_DOUBLE_EQ(p["top_p"].GetDouble(), 0.8);
    const std::string name = GetParam().name;
    if (name == "qwen_native") {
      EXPECT_EQ(p["top_k"].GetInt(), 40);
      EXPECT_FALSE(p.HasMember("repetition_penalty"));  // 0 is invalid for DashScope
    } else {
      EXPECT_FALSE(p.HasMember("top_k"));
    }
    if (name == "openai" || name == "qwen_compatible") {
      ASSERT_TRUE(p.HasMember("frequency_penalty"));
      EXPECT_EQ(p["frequency_penalty"].GetDouble(), 0.0);
    } else {
      EXPECT_FALSE(p.HasMember("frequency_penalty"));  // not a Puyu or DashScope-native name
    }
  }

  mock::MockServer server_;
  test::TempDir dir_;
};

TEST_P(ParamDefaults, NothingSetSendsNoParameter) {
  for (bool stream : {false, true}) {
    std::vector<std::string> extra{"hi"};
    if (stream) extra.insert(extra.begin(), "--stream");
    auto r = run_process(chat(extra));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    rapidjson::Document p = sent();
    for (const char* key : kParameterKeys) {
      EXPECT_FALSE(p.HasMember(key)) << key << " in " << server_.last_request().body;
    }
    EXPECT_FALSE(contains(r.err, "warning")) << r.err;
  }
}

TEST_P(ParamDefaults, TheLagentPresetSendsLagentsValuesExactly) {
  for (bool stream : {false, true}) {
    std::vector<std::string> extra{"--defaults", "lagent", "hi"};
    if (stream) extra.insert(extra.begin(), "--stream");
    auto r = run_process(chat(extra));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_lagents_values(sent());
    if (std::string(GetParam().name) != "qwen_native") {
      // top_k has no place in an OpenAI-style body: said once, as llmrt's warning.
      EXPECT_EQ(count(r.err, "top_k is not a parameter of"), 1) << r.err;
      EXPECT_TRUE(contains(r.err, "llmrt: warning: top_k is not a parameter of")) << r.err;
    } else {
      EXPECT_EQ(count(r.err, "llmrt: warning: repetition_penalty 0"), 1) << r.err;
    }
  }
}

TEST_P(ParamDefaults, AConfigurationAsksForThePresetAndItsParamsWin) {
  auto r = run_process(chat_with_config(R"(,"defaults":"lagent")", {"hi"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_lagents_values(sent());

  auto own =
      run_process(chat_with_config(R"(,"defaults":"lagent","params":{"temperature":0.3})", {"hi"}));
  ASSERT_EQ(own.exit_code, 0) << own.err;
  rapidjson::Document p = sent();
  EXPECT_DOUBLE_EQ(p["temperature"].GetDouble(), 0.3);
  EXPECT_DOUBLE_EQ(p["top_p"].GetDouble(), 0.8);  // the rest still the preset's
  EXPECT_EQ(p["max_tokens"].GetInt(), 512);

  auto none = run_process(chat_with_config(R"(,"defaults":"none")", {"hi"}));
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_FALSE(sent().HasMember("temperature"));
}

TEST_P(ParamDefaults, APerCallNullUnsetsThePresetsValue) {
  auto r = run_process(
      chat({"--defaults", "lagent", "--param", "temperature=null", "--param", "top_p=0.5", "hi"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document p = sent();
  EXPECT_FALSE(p.HasMember("temperature")) << server_.last_request().body;
  EXPECT_DOUBLE_EQ(p["top_p"].GetDouble(), 0.5);
  EXPECT_EQ(p["max_tokens"].GetInt(), 512);
}

INSTANTIATE_TEST_SUITE_P(Providers, ParamDefaults, ::testing::ValuesIn(kFlavours),
                         [](const auto& info) { return std::string(info.param.name); });

class ParamWarningsCli : public ::testing::Test {
 protected:
  std::vector<std::string> chat(const std::vector<std::string>& extra) const {
    std::vector<std::string> argv{LLMRT_TEST_CLI, "chat", "--provider", "openai",
                                  "--model",      "m",    "--api-base", server_.base_url() + "/v1",
                                  "--key",        "k",    "--retry",    "0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }
  mock::MockServer server_;
};

TEST_F(ParamWarningsCli, EventsCarryTheWarningFirstAndTheLogHasIt) {
  const std::string line =
      R"({"type":"warning","message":"top_k is not a parameter of the OpenAI chat API: not sent"})";
  for (bool stream : {false, true}) {
    std::vector<std::string> extra{"--events", "--param", "top_k=5", "hi"};
    if (stream) extra.insert(extra.begin(), "--stream");
    auto r = run_process(chat(extra));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(count(r.out, line), 1) << r.out;
    if (stream) {
      EXPECT_EQ(r.out.substr(0, line.size()), line) << r.out;  // first of all events
    }
    EXPECT_TRUE(contains(r.err, "llmrt [warn] openai: top_k is not a parameter")) << r.err;
    EXPECT_FALSE(contains(server_.last_request().body, "top_k"));
  }
}

TEST_F(ParamWarningsCli, PlainTextShowsEachWarningOnce) {
  for (bool stream : {false, true}) {
    std::vector<std::string> extra{"--param", "max_new_tokens=10000", "--param", "top_k=5", "hi"};
    if (stream) extra.insert(extra.begin(), "--stream");
    auto r = run_process(chat(extra));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, mock::Scenario{}.full_content() + "\n");
    EXPECT_EQ(count(r.err, "top_k"), 1) << r.err;
    EXPECT_EQ(count(r.err, "10000"), 1) << r.err;
    EXPECT_TRUE(contains(r.err,
                         "llmrt: warning: max_new_tokens 10000 lowered to max_tokens 4096 by "
                         "the option max_tokens_cap"))
        << r.err;
  }
}

TEST_F(ParamWarningsCli, AnUnknownPresetNamesTheKnownOnes) {
  auto r = run_process(chat({"--defaults", "lagnet", "hi"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "--defaults 'lagnet'")) << r.err;
  EXPECT_TRUE(contains(r.err, "none, lagent")) << r.err;

  test::TempDir dir;
  std::string config = dir.write(
      "bad.json", R"({"models":{"mine":{"model":"m","keys":["k"],"defaults":"lagnet"}}})");
  auto file = run_process({LLMRT_TEST_CLI, "chat", "--config", config, "hi"});
  EXPECT_EQ(file.exit_code, 2);
  EXPECT_TRUE(contains(file.err, config + ": $.models.mine.defaults")) << file.err;
  EXPECT_TRUE(contains(file.err, "\"lagnet\"")) << file.err;
  EXPECT_TRUE(contains(file.err, "none, lagent")) << file.err;
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(ParamWarningsCli, BatchRecordsCarryWarningsAndTheProvidersFinishWord) {
  test::TempDir dir;
  std::string input = dir.write(
      "in.jsonl",
      R"({"custom_id":"a","messages":[{"role":"user","content":"hi"}],"params":{"top_k":3}})"
      "\n");
  std::string output = dir.path() + "/out.jsonl";
  server_.push(mock::Scenario{.finish_reason = "function_call"});
  auto r = run_process({LLMRT_TEST_CLI, "batch", "--model", "m", "--api-base",
                        server_.base_url() + "/v1", "--key", "k", "--retry", "0", "--input", input,
                        "--output", output});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(output);
  std::string line;
  std::getline(in, line);
  rapidjson::Document record;
  record.Parse(line.c_str());
  ASSERT_FALSE(record.HasParseError()) << line;
  const auto& response = record["response"];
  EXPECT_STREQ(response["finish_reason"].GetString(), "tool_calls") << line;
  EXPECT_STREQ(response["finish_reason_raw"].GetString(), "function_call") << line;
  ASSERT_TRUE(response.HasMember("warnings")) << line;
  EXPECT_STREQ(response["warnings"][0].GetString(),
               "top_k is not a parameter of the OpenAI chat API: not sent");
}

}  // namespace
}  // namespace llmrt
