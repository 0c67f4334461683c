#include <gtest/gtest.h>

#include <cstdint>

#include "llmrt/core/config.h"
#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

std::string config_error(std::string_view json) {
  try {
    parse_config(json, "llmrt.json");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    return e.what();
  }
  ADD_FAILURE() << "no error for " << json;
  return {};
}

TEST(Config, EveryKeyOfAModel) {
  RuntimeConfig c = parse_config(R"({
    "plugin_paths": ["plugins", "/opt/llmrt/plugins"],
    "models": {
      "qwen": {
        "provider": "qwen", "model": "qwen-plus", "api_base": "http://127.0.0.1:1/api/v1",
        "keys": ["ENV", "env:OTHER"], "organizations": "org-1", "retry": 5,
        "timeouts": {"connect": 1.5, "read": 30, "total": 120},
        "proxy": "http://127.0.0.1:3128", "ca_file": "ca.pem",
        "meta_template": [{"role": "user", "api_role": "user", "begin": "<u>"},
                          {"role": "tool", "fallback_role": "user"}],
        "defaults": "lagent",
        "params": {"temperature": 0.2, "stop_words": ["END"], "enable_thinking": false},
        "options": {"mode": "compatible"},
        "limits": {"max_event_bytes": 1024, "max_body_bytes": 2048, "max_stream_bytes": 4096},
        "encoding": "cl100k_base"
      }
    }})",
                                 "llmrt.json", "/etc/llmrt");
  ASSERT_EQ(c.plugin_paths.size(), 2u);
  EXPECT_EQ(c.plugin_paths[0], "/etc/llmrt/plugins");
  EXPECT_EQ(c.plugin_paths[1], "/opt/llmrt/plugins");
  const ModelConfig& m = c.models.at("qwen");
  EXPECT_EQ(m.provider, "qwen");
  EXPECT_EQ(m.model, "qwen-plus");
  EXPECT_EQ(m.keys, (std::vector<std::string>{"ENV", "env:OTHER"}));
  EXPECT_EQ(m.organizations, std::vector<std::string>{"org-1"});
  EXPECT_EQ(m.retry.max_retries, 5);
  EXPECT_EQ(m.encoding, "cl100k_base");
  EXPECT_EQ(m.transport.connect_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(m.transport.read_timeout, std::chrono::seconds(30));
  EXPECT_EQ(m.transport.total_timeout, std::chrono::seconds(120));
  EXPECT_EQ(m.transport.proxy, "http://127.0.0.1:3128");
  EXPECT_EQ(m.transport.ca_file, "/etc/llmrt/ca.pem");
  ASSERT_EQ(m.meta_template.roles().size(), 2u);
  EXPECT_EQ(m.meta_template.roles()[1].api_role, "user");
  EXPECT_EQ(m.meta_template.roles()[1].begin, "<u>");
  EXPECT_EQ(m.defaults, ParamDefaults::lagent);
  EXPECT_DOUBLE_EQ(*m.params.temperature, 0.2);
  EXPECT_FALSE(m.params.top_p);  // the preset's values are taken at each call, not copied here
  EXPECT_EQ(m.params.stop_words, std::vector<std::string>{"END"});
  EXPECT_EQ(m.params.extras.at("enable_thinking"), "false");
  EXPECT_EQ(m.options.at("mode"), "compatible");
  EXPECT_EQ(m.limits.max_event_bytes, 1024u);
  EXPECT_EQ(m.transport.max_body_bytes, 2048u);
  EXPECT_EQ(m.transport.max_stream_bytes, 4096u);
}

TEST(Config, ASizeLimitOfZeroIsNoLimit) {
  RuntimeConfig c = parse_config(R"({"models": {"a": {"model": "m", "limits":
      {"max_event_bytes": 0, "max_body_bytes": 0, "max_stream_bytes": 0}}}})",
                                 "llmrt.json");
  const ModelConfig& m = c.models.at("a");
  EXPECT_EQ(m.limits.max_event_bytes, SIZE_MAX);
  EXPECT_EQ(m.transport.max_body_bytes, SIZE_MAX);
  EXPECT_EQ(m.transport.max_stream_bytes, SIZE_MAX);
}

TEST(Config, ErrorsNameFileJsonPathAndExpectation) {
  EXPECT_EQ(
      config_error(R"({"models":{"a":{"model":"m","retry":"two"}}})"),
      R"(bad_request: llmrt.json: $.models.a.retry: expected a non-negative integer, got "two")");
  EXPECT_EQ(config_error(R"({"models":{"a":{"model":"m","keys":["k",3]}}})"),
            "bad_request: llmrt.json: $.models.a.keys[1]: expected a string, got 3");
  EXPECT_NE(config_error(R"({"models":{"a":{"model":"m","temprature":1}}})")
                .find("$.models.a.temprature: expected one of the known keys"),
            std::string::npos);
  EXPECT_NE(config_error(R"({"models":{"a":{"provider":"openai"}}})").find("$.models.a.model"),
            std::string::npos);
  EXPECT_NE(config_error(R"({"models":{"a":{"model":"m","timeouts":{"read":-1}}}})")
                .find("$.models.a.timeouts.read: expected a number of seconds above 0"),
            std::string::npos);
  // 0 would fail every call (and, for connect, be reported as the read timeout); a total of 0 is
  // no limit.
  EXPECT_NE(config_error(R"({"models":{"a":{"model":"m","timeouts":{"connect":0}}}})")
                .find("$.models.a.timeouts.connect: expected a number of seconds above 0"),
            std::string::npos);
  EXPECT_NE(config_error(R"({"models":{"a":{"model":"m","timeouts":{"total":-1}}}})")
                .find("$.models.a.timeouts.total: expected a number of seconds from 0"),
            std::string::npos);
  EXPECT_EQ(config_error(R"({"models":{"a":{"model":"m","defaults":"lagnet"}}})"),
            "bad_request: llmrt.json: $.models.a.defaults: expected a parameter preset (none, "
            "lagent), got \"lagnet\"");
  EXPECT_NE(config_error(R"({"models":{"a":{"model":"m","params":{"top_p":3}}}})")
                .find("$.models.a.params: expected valid parameters"),
            std::string::npos);
  EXPECT_NE(config_error(R"({"models":{"a":{"model":"m","meta_template":[]}}})")
                .find("$.models.a.meta_template: expected an array of at least one role, got []"),
            std::string::npos);
  EXPECT_NE(config_error(R"({"models":{"a":{"model":"m","meta_template":[{"role":"x"}]}}})")
                .find("$.models.a.meta_template"),
            std::string::npos);
  EXPECT_NE(
      config_error("{\n \"models\": {").find("llmrt.json: line 2, column 13: expected valid JSON"),
      std::string::npos);
  EXPECT_NE(config_error(R"({"models":{"a":{"model":"m","timeouts":{"read":1e300}}}})")
                .find("$.models.a.timeouts.read: expected a number of seconds above 0 and at "
                      "most 31536000"),
            std::string::npos);
  // Found by config_fuzz: a parameter with an empty name was reported without file or path.
  EXPECT_EQ(config_error(R"({"models":{"a":{"model":"m","params":{"":1}}}})"),
            "bad_request: llmrt.json: $.models.a.params.: expected a parameter (parameter with "
            "an empty name)");
  EXPECT_NE(config_error(R"({})").find("$.models"), std::string::npos);
  // Empty would be the provider's own servers, with the key: a variable left unset.
  EXPECT_NE(config_error(R"({"models":{"a":{"model":"m","api_base":""}}})")
                .find("llmrt.json: $.models.a.api_base: the API base is empty"),
            std::string::npos);
  EXPECT_EQ(config_error(R"({"models":{"a":{"model":"m","encoding":"p50k_base"}}})"),
            "bad_request: llmrt.json: $.models.a.encoding: expected an encoding llmrt ships "
            "(cl100k_base or o200k_base), got \"p50k_base\"");
}

TEST(Config, OneModelOnItsOwnIsReadAsAnEntryOfModels) {
  ModelConfig c = parse_model_config(
      R"({"provider":"anthropic","model":"claude","api_base":"http://127.0.0.1:9/v1","retry":0})",
      "model");
  EXPECT_EQ(c.provider, "anthropic");
  EXPECT_EQ(c.model, "claude");
  EXPECT_EQ(c.api_base, "http://127.0.0.1:9/v1");
  EXPECT_EQ(c.retry.max_retries, 0);
  EXPECT_EQ(c.name, "");
}

TEST(Config, OneModelsErrorsNameTheSourceAndThePathFromTheRoot) {
  auto error = [](std::string_view json) -> std::string {
    try {
      parse_model_config(json, "model.json");
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::bad_request);
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(error(R"({"model":"m","retry":"two"})"),
            R"(bad_request: model.json: $.retry: expected a non-negative integer, got "two")");
  EXPECT_NE(error(R"({"provider":"openai"})").find("model.json: $.model"), std::string::npos);
  EXPECT_NE(error(R"({"model":)").find("model.json: line 1, column 10: expected valid JSON"),
            std::string::npos);
}

TEST(Config, MissingFileIsNamed) {
  try {
    load_config("/nonexistent/llmrt.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/llmrt.json"), std::string::npos);
  }
}

// A key or proxy in the wrong shape is named by its path, never quoted: it is still a secret.
TEST(Config, WrongShapedSecretsAreNotQuoted) {
  for (std::string_view json :
       {R"({"models":{"m":{"model":"x","keys":{"primary":"sk-config-secret-1"}}}})",
        R"({"models":{"m":{"model":"x","keys":[{"value":"sk-config-secret-1"}]}}})",
        R"({"models":{"m":{"model":"x","proxy":["http://u:sk-config-secret-1@h:1"]}}})"}) {
    std::string message = config_error(json);
    EXPECT_NE(message.find("models.m."), std::string::npos) << message;
    EXPECT_EQ(message.find("sk-config-secret"), std::string::npos) << message;
  }
}

TEST(Config, NestingBeyondTheLimitIsAnErrorNamingTheFileAndLine) {
  std::string deep =
      "{\"models\": {\"a\": {\"model\": \"m\",\n \"params\": {\"x\": " + std::string(300000, '[');
  EXPECT_EQ(config_error(deep),
            "bad_request: llmrt.json: line 2, column 142: JSON nested deeper than 128 levels");
  // 128 levels are read.
  std::string ok = R"({"models": {"a": {"model": "m", "params": {"x": )" + std::string(124, '[') +
                   std::string(124, ']') + "}}}}";
  EXPECT_EQ(parse_config(ok, "llmrt.json").models.at("a").model, "m");
}

TEST(Config, FileThatIsNoRegularFileOrTooLargeIsRefusedByName) {
  for (const char* path : {"/dev/zero", "/tmp"}) {
    try {
      load_config(path);
      ADD_FAILURE() << path;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()),
                std::string("bad_request: ") + path + ": not a regular file");
    }
  }
}

}  // namespace
}  // namespace llmrt::core
