// Secrets and header values for a host program: every string of an error and every log line
// is free of the model's secrets, and a setting with CR, LF or NUL never reaches the wire.
#include <mutex>

#include "llmrt/core/log.h"
#include "llmrt/core/transport.h"
#include "support/e2e_fixture.h"

namespace llmrt {
namespace {

using SecretsEndToEnd = test::EndToEnd;

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Captures log lines at debug level for the life of the object.
class LogCapture {
 public:
  LogCapture() : saved_(core::log_level()) {
    core::set_log_level(core::LogLevel::debug);
    core::set_log_sink([this](core::LogLevel, std::string_view line) {
      std::lock_guard lock(mutex_);
      text_ += std::string(line) + "\n";
    });
  }
  ~LogCapture() {
    core::set_log_sink(nullptr);
    core::set_log_level(saved_);
  }
  std::string text() const {
    std::lock_guard lock(mutex_);
    return text_;
  }

 private:
  core::LogLevel saved_;
  mutable std::mutex mutex_;
  std::string text_;
};

TEST_F(SecretsEndToEnd, EveryStringOfTheErrorIsFreeOfEveryKey) {
  core::ModelConfig c = config();
  c.keys = {"sk-host-first-aaaa1", "sk-host-second-bbbb2"};
  mock::Scenario s;
  s.status = 401;
  s.error_body = R"({"error":{"message":"keys sk-host-first-aaaa1 and sk-host-second-bbbb2",)"
                 R"("code":"sk-host-first-aaaa1","type":"invalid_api_key"}})";
  s.headers = {{"x-request-id", "req-sk-host-second-bbbb2"}};
  server_.set_default(s);
  try {
    runtime_.model(c).chat(hello_);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const ErrorInfo& info = e.info();
    for (const std::string* field : {&info.code, &info.message, &info.request_id, &info.provider}) {
      EXPECT_FALSE(contains(*field, "sk-host")) << *field;
    }
    EXPECT_FALSE(contains(e.what(), "sk-host")) << e.what();
    EXPECT_EQ(info.code, "…aaa1");
    EXPECT_EQ(info.request_id, "req-…bbb2");
  }
}

TEST_F(SecretsEndToEnd, LogLinesCarryNoUserinfoOfTheApiBase) {
  core::ModelConfig c = config();
  c.api_base =
      "http://loguser:log-password-1234@127.0.0.1:" + std::to_string(server_.port()) + "/v1";
  std::string logged;
  {
    LogCapture capture;
    runtime_.model(c).chat(hello_);
    logged = capture.text();
  }
  EXPECT_TRUE(contains(logged, "POST http://127.0.0.1:")) << logged;
  EXPECT_FALSE(contains(logged, "loguser")) << logged;
  EXPECT_FALSE(contains(logged, "log-password")) << logged;
}

// A host program that puts CR, LF or NUL in a setting sent as a header gets Error
// (bad_request) naming the setting, not showing the value, and nothing is sent.
TEST_F(SecretsEndToEnd, SettingsWithLineBreaksAreRefusedAtConstruction) {
  const std::string bad = std::string("sk-inj\r\nX-Injected: 1\0", 22);
  struct Case {
    std::string setting;
    std::function<void(core::ModelConfig&, const std::string&)> set;
  };
  std::vector<Case> cases{
      {"key 2", [](core::ModelConfig& c, const std::string& v) { c.keys.push_back(v); }},
      {"organization 1", [](core::ModelConfig& c, const std::string& v) { c.organizations = {v}; }},
      {"option project",
       [](core::ModelConfig& c, const std::string& v) { c.options["project"] = v; }},
      {"api_base", [](core::ModelConfig& c, const std::string& v) { c.api_base += v; }},
      {"proxy", [](core::ModelConfig& c, const std::string& v) { c.transport.proxy = v; }},
  };
  for (const std::string& value : {bad, std::string("sk-inj\0X", 8), std::string("sk-inj\nX")}) {
    for (const Case& k : cases) {
      core::ModelConfig c = config();
      k.set(c, value);
      try {
        runtime_.model(c);
        ADD_FAILURE() << k.setting << " was accepted";
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::bad_request) << e.what();
        EXPECT_TRUE(contains(e.what(), k.setting)) << e.what();
        EXPECT_FALSE(contains(e.what(), "sk-inj")) << e.what();
        EXPECT_FALSE(contains(e.what(), "X-Injected")) << e.what();
      }
    }
  }
  EXPECT_TRUE(server_.requests().empty());
}

// The transport's last line of defence: a header a plugin rendered with a line break in it
// never goes out, whatever produced it.
TEST_F(SecretsEndToEnd, TransportSendsNoRequestWithABadHeader) {
  core::Transport transport;
  const std::string url = server_.base_url() + "/v1/chat/completions";
  for (const HttpHeaders& headers :
       {HttpHeaders{{"X-Custom", "a\r\nX-Injected: 1"}}, HttpHeaders{{"X-Custom", "a\nb"}},
        HttpHeaders{{"X-Custom", std::string("a\0b", 3)}},
        HttpHeaders{{"X-Injected: 1\r\nX-Custom", "a"}}, HttpHeaders{{"", "a"}}}) {
    try {
      transport.send(HttpRequest{.method = "POST", .url = url, .headers = headers, .body = "{}"});
      ADD_FAILURE() << "a bad header was sent";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::bad_request) << e.what();
      EXPECT_TRUE(contains(e.what(), "header")) << e.what();
      EXPECT_FALSE(contains(e.what(), "X-Injected")) << e.what();
    }
  }
  EXPECT_TRUE(server_.requests().empty());
  // A clean request on the same transport still goes out.
  EXPECT_EQ(transport
                .send(HttpRequest{.method = "POST",
                                  .url = url,
                                  .headers = {{"Content-Type", "application/json"}},
                                  .body = R"({"model":"m","messages":[]})"})
                .status,
            200);
}

}  // namespace
}  // namespace llmrt
