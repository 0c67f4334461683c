// The llmrt binary, run as a user would, against the mock server on loopback.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <fstream>

#include "llmrt/mock/mock_server.h"
#include "llmrt/sdk/plugin_abi.h"
#include "support/event_text.h"
#include "support/run_process.h"

namespace llmrt {
namespace {

using test::lines_of;
using test::run_process;

class Cli : public ::testing::Test {
 protected:
  std::vector<std::string> chat(std::vector<std::string> extra) {
    std::vector<std::string> argv{LLMRT_TEST_CLI, "chat", "--provider", "openai",
                                  "--model",      "m",    "--api-base", server_.base_url() + "/v1",
                                  "--key",        "k"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }
  static rapidjson::Document json(const std::string& line) {
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    EXPECT_FALSE(doc.HasParseError()) << line;
    return doc;
  }
  mock::MockServer server_;
};

TEST_F(Cli, StreamEventsPrintDeltasUsageAndOneEnd) {
  auto r = run_process(chat({"--stream", "--events", "hi"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = lines_of(r.out);
  auto pieces = mock::Scenario{}.content_pieces();
  ASSERT_EQ(lines.size(), pieces.size() + 2) << r.out;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    auto e = json(lines[i]);
    EXPECT_STREQ(e["type"].GetString(), "delta");
    EXPECT_EQ(e["content"].GetString(), pieces[i]);
  }
  auto usage = json(lines[pieces.size()]);
  EXPECT_STREQ(usage["type"].GetString(), "usage");
  EXPECT_EQ(usage["completion_tokens"].GetInt(), static_cast<int>(pieces.size()));
  auto end = json(lines.back());
  EXPECT_STREQ(end["type"].GetString(), "end");
  EXPECT_STREQ(end["finish_reason"].GetString(), "stop");
  EXPECT_EQ(end["content"].GetString(), mock::Scenario{}.full_content());

  auto body = json(server_.last_request().body);
  EXPECT_TRUE(body["stream"].GetBool());
  EXPECT_FALSE(body.HasMember("max_tokens"));  // nothing set: the server's own limit
  EXPECT_STREQ(body["messages"][0]["content"].GetString(), "hi");
}

TEST_F(Cli, QwenAndInternlmWithEvents) {
  struct Case {
    const char* provider;
    std::string api_base;
    std::vector<std::string> extra;
  };
  for (const Case& c :
       std::vector<Case>{{"qwen", server_.base_url() + "/api/v1", {}},
                         {"qwen", server_.base_url() + "/api/v1/", {"--option", "mode=compatible"}},
                         {"internlm", server_.base_url() + "/puyu/api/v1", {}}}) {
    for (bool stream : {true, false}) {
      std::vector<std::string> argv{LLMRT_TEST_CLI, "chat", "--provider", c.provider,
                                    "--model",      "m",    "--api-base", c.api_base,
                                    "--key",        "k",    "--events"};
      argv.insert(argv.end(), c.extra.begin(), c.extra.end());
      if (stream) argv.push_back("--stream");
      argv.push_back("hi");
      auto r = run_process(argv);
      ASSERT_EQ(r.exit_code, 0) << c.provider << " " << r.err;
      auto lines = lines_of(r.out);
      auto end = json(lines.back());
      EXPECT_STREQ(end["type"].GetString(), "end");
      EXPECT_EQ(end["content"].GetString(), mock::Scenario{}.full_content()) << c.provider;
      if (stream) {
        EXPECT_STREQ(json(lines.front())["type"].GetString(), "delta");
      }
    }
  }
  // --option mode=compatible sent the compatible mode's request.
  EXPECT_NE(server_.requests()[3].uri.find("/api/v1/chat/completions"), std::string::npos);
}

TEST_F(Cli, NonStreamPrintsTheSameEnd) {
  auto streamed = lines_of(run_process(chat({"--stream", "--events", "hi"})).out);
  auto r = run_process(chat({"--events", "hi"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines_of(r.out).back(), streamed.back());
}

TEST_F(Cli, PlainTextAndParamsAndSystem) {
  auto r = run_process(chat({"--system", "be brief", "--param", "mock={\"chunks\":2}", "--param",
                             "temperature=0.2", "--json-mode", "hi"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Hello! This \n");
  auto body = json(server_.last_request().body);
  EXPECT_STREQ(body["messages"][0]["role"].GetString(), "system");
  EXPECT_DOUBLE_EQ(body["temperature"].GetDouble(), 0.2);
  EXPECT_STREQ(body["response_format"]["type"].GetString(), "json_object");
}

TEST_F(Cli, MessagesFromStdin) {
  auto r = run_process(chat({"--messages", "-"}),
                       R"([{"role":"user","content":"a"},{"role":"environment","content":"b"}])");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto body = json(server_.last_request().body);
  EXPECT_STREQ(body["messages"][1]["role"].GetString(), "system");
}

TEST_F(Cli, FailedCallExitsOneWithTheTaxonomy) {
  auto r = run_process(
      chat({"--stream", "--events", "--retry", "0", "--param", "mock={\"status\":429}", "hi"}));
  EXPECT_EQ(r.exit_code, 1);
  auto e = json(lines_of(r.out).back());
  EXPECT_STREQ(e["type"].GetString(), "error");
  EXPECT_STREQ(e["kind"].GetString(), "rate_limited");
  EXPECT_EQ(e["status"].GetInt(), 429);
  EXPECT_STREQ(e["code"].GetString(), "rate_limit_exceeded");
  EXPECT_NE(r.err.find("rate_limited (provider openai, HTTP 429"), std::string::npos) << r.err;
}

TEST_F(Cli, InStreamErrorKeepsPartialContent) {
  auto r =
      run_process(chat({"--stream", "--events", "--param",
                        R"(mock={"chunks":2,"stream_error":"{\"message\":\"boom\"}"})", "hi"}));
  EXPECT_EQ(r.exit_code, 1);
  auto e = json(lines_of(r.out).back());
  EXPECT_STREQ(e["partial_content"].GetString(), "Hello! This ");
}

TEST_F(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run_process(chat({})).exit_code, 2);                                 // no prompt
  EXPECT_EQ(run_process(chat({"--param", "max_tokens=5", "hi"})).exit_code, 2);  // forbidden
  EXPECT_EQ(run_process(chat({"--param", "top_p=7", "hi"})).exit_code, 2);       // out of range
  EXPECT_EQ(run_process({LLMRT_TEST_CLI, "chat", "hi"}).exit_code, 2);           // no --model
  EXPECT_EQ(run_process({LLMRT_TEST_CLI, "nonsense"}).exit_code, 2);
  EXPECT_TRUE(server_.requests().empty());
}

// The error is thrown inside the openai plugin and reported after the runtime that loaded it
// is gone: the plugin must still be mapped (it crashed with SIGSEGV before plugins were loaded
// with RTLD_NODELETE).
TEST_F(Cli, ErrorFromInsideAPluginIsReportedAfterTheRuntimeIsGone) {
  auto r = run_process(chat({"--param", "max_tokens=5", "hi"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("use 'max_new_tokens' instead"), std::string::npos) << r.err;
}

TEST_F(Cli, RetriesAreEventsAndFailureIsTheTaxonomy) {
  auto r = run_process(chat({"--stream", "--events", "--retry", "1", "--param",
                             R"(mock={"status":503,"headers":{"Retry-After":"0.05"}})", "hi"}));
  EXPECT_EQ(r.exit_code, 1);
  auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_EQ(lines[0], R"({"type":"retry","attempt":1,"kind":"server","status":503,"delay_ms":50})");
  EXPECT_STREQ(json(lines[1])["kind"].GetString(), "server");
  EXPECT_EQ(server_.requests().size(), 2u);
}

// Debug output with keys configured, a rotation and a provider error that quotes the key:
// the keys appear nowhere, only as …last4.
TEST_F(Cli, NoKeyInAnyOutputAtDebugLevel) {
  const std::string key1 = "sk-secret-first-7a1b";
  const std::string key2 = "sk-secret-second-9c2d";
  std::string quoting = R"({"error":{"message":"Incorrect API key provided: )" + key2 +
                        R"(","type":"invalid_request_error","code":"invalid_api_key"}})";
  server_.push([] {
    mock::Scenario s;
    s.status = 429;
    return s;
  }());
  server_.push([&] {
    mock::Scenario s;
    s.status = 401;
    s.error_body = quoting;
    return s;
  }());
  std::vector<std::string> argv{
      LLMRT_TEST_CLI, "--log-level", "debug",      "chat",
      "--model",      "m",           "--api-base", server_.base_url() + "/v1",
      "--key",        key1,          "--key",      key2,
      "--stream",     "--events",    "hi"};
  auto r = run_process(argv);
  std::string all = r.out + r.err;
  EXPECT_EQ(all.find("sk-secret"), std::string::npos) << all;
  EXPECT_NE(all.find("…7a1b"), std::string::npos) << all;
  EXPECT_NE(all.find("…9c2d"), std::string::npos) << all;
  EXPECT_NE(all.find("[debug]"), std::string::npos) << all;
  // The keys did reach the server (the masking is in the output, not the requests).
  ASSERT_GE(server_.requests().size(), 2u);
  EXPECT_EQ(*find_header(server_.requests()[0].headers, "Authorization"), "Bearer " + key1);
}

TEST_F(Cli, EndlessLineStaysWithinBoundedMemory) {
  auto r = run_process(chat({"--stream", "--param", R"(mock={"endless_line":true})", "hi"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("protocol"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("limit of 4194304 bytes"), std::string::npos) << r.err;
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  // Sanitizers' shadow memory inflates RSS: the bound is for ordinary builds.
  EXPECT_LT(r.max_rss_kb, 64 * 1024) << "peak RSS " << r.max_rss_kb << " KiB";
#endif
}

TEST_F(Cli, HelpOnEveryCommand) {
  for (const char* cmd :
       {"plugins", "chat", "batch", "decode", "mock-server", "demo", "tokenize"}) {
    auto r = run_process({LLMRT_TEST_CLI, cmd, "--help"});
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << cmd << r.out;
  }
}

TEST_F(Cli, PluginsJsonListsOpenai) {
  auto r = run_process({LLMRT_TEST_CLI, "plugins", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json(r.out);
  ASSERT_TRUE(doc.IsArray());
  bool found = false;
  for (const auto& p : doc.GetArray()) {
    if (std::string(p["name"].GetString()) != "openai") continue;
    found = true;
    EXPECT_STREQ(p["key_env"].GetString(), "OPENAI_API_KEY");
    EXPECT_STREQ(p["api_base"].GetString(), "https://api.openai.com/v1");
    EXPECT_EQ(p["abi"].GetInt(), static_cast<int>(LLMRT_PLUGIN_ABI_VERSION));
  }
  EXPECT_TRUE(found) << r.out;
}

TEST_F(Cli, DecodeProviderAndRawSse) {
  std::string file = std::string(LLMRT_TEST_DATA_DIR) + "/openai/basic.sse";
  auto r = run_process({LLMRT_TEST_CLI, "decode", "--provider", "openai", "--file", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_EQ(lines[0], R"({"type":"delta","content":"Hel"})");
  EXPECT_EQ(lines[3], R"({"type":"end","finish_reason":"stop","content":"Hello, 世界"})");
  auto sse = run_process({LLMRT_TEST_CLI, "decode", "--sse"}, test::read_data("openai/basic.sse"));
  ASSERT_EQ(sse.exit_code, 0);
  auto raw = lines_of(sse.out);
  ASSERT_EQ(raw.size(), 6u);
  EXPECT_EQ(raw.back(), R"({"event":"message","data":"[DONE]","id":""})");
}

TEST_F(Cli, DecodeReportsAnInStreamError) {
  auto r = run_process({LLMRT_TEST_CLI, "decode", "--provider", "openai"},
                       test::read_data("openai/stream_error.sse"));
  EXPECT_EQ(r.exit_code, 1);
  auto e = json(lines_of(r.out).back());
  EXPECT_STREQ(e["kind"].GetString(), "server");
  EXPECT_STREQ(e["partial_content"].GetString(), "Partial answer");
}

// The demo finds every shipped plugin, and each streams the whole reply to its end, without
// network or key: none is skipped, none fails. Azure OpenAI is a row of the openai plugin. (One run
// of the demo checks all of it: each run takes seconds.)
TEST_F(Cli, DemoStreamsThroughEveryPluginItFinds) {
  auto r = run_process({LLMRT_TEST_CLI, "demo"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("skipped"), std::string::npos) << r.out;
  std::vector<std::string> names;
  for (const std::string& line : lines_of(r.out)) {
    if (line.rfind("plugin ", 0) == 0) names.push_back(line.substr(7, line.find(' ', 7) - 7));
  }
  // The build tree holds every shipped plugin: the demo finds them all.
  for (const char* shipped : {"openai", "qwen", "internlm", "anthropic", "gemini", "ollama"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), shipped), names.end()) << shipped << "\n"
                                                                           << r.out;
  }
  names.push_back("azure");
  for (const std::string& name : names) {
    EXPECT_NE(r.out.find("[" + name + "] assistant: " + mock::Scenario{}.full_content()),
              std::string::npos)
        << name << "\n"
        << r.out;
    EXPECT_NE(r.out.find("[" + name + "] finish: stop"), std::string::npos) << name;
  }
  // Last, a route whose first deployment answers 503: the call falls back to another provider
  // before its first delta, and says which model served it and what it cost.
  EXPECT_NE(r.out.find("[route smart] assistant: (primary failed: server 503; trying fallback) " +
                       mock::Scenario{}.full_content()),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("[route smart] finish: stop"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("served by fallback, cost "), std::string::npos) << r.out;
}

TEST_F(Cli, ReadmeHostProgramStreamsAReply) {
  auto r = run_process({LLMRT_TEST_STREAM_HELLO, server_.base_url() + "/v1", "sk-readme"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, mock::Scenario{}.full_content() + "\n");
  EXPECT_EQ(*find_header(server_.last_request().headers, "Authorization"), "Bearer sk-readme");
}

}  // namespace
}  // namespace llmrt
