// Settings that would fail every call (a parameter or an option the plugin refuses, a connect or
// read limit of 0) are refused when the model is made, named, before anything is sent: not
// accepted quietly and then met by every call.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "llmrt/core/price.h"
#include "llmrt/core/runtime.h"
#include "llmrt/mock/mock_server.h"
#include "support/temp_dir.h"

namespace llmrt {
namespace {

constexpr std::size_t kNone = std::string::npos;

class SettingsChecked : public ::testing::Test {
 protected:
  core::ModelConfig config() const {
    core::ModelConfig c;
    c.model = "gpt-test";
    c.api_base = server_.base_url() + "/v1";
    c.keys = {"sk-settings"};
    c.retry.max_retries = 0;
    return c;
  }

  // The message of the error making a model with `c` fails with.
  std::string refusal(const core::ModelConfig& c) const {
    try {
      runtime_.model(c);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::bad_request) << e.what();
      return e.info().message;
    }
    ADD_FAILURE() << "the model was made";
    return {};
  }

  mock::MockServer server_;
  core::Runtime runtime_;
};

TEST_F(SettingsChecked, AParameterOrOptionThePluginRefusesIsRefusedWhenTheModelIsMade) {
  core::ModelConfig c = config();
  c.params.extras["max_tokens"] = "5";
  EXPECT_NE(refusal(c).find("parameter 'max_tokens' is not accepted: use 'max_new_tokens'"), kNone);

  // Read by the plugin only when a call sets max_new_tokens: a model without it would have
  // answered until the first call that did.
  c = config();
  c.options["max_tokens_cap"] = "abc";
  EXPECT_NE(refusal(c).find("option max_tokens_cap must be a positive integer, got 'abc'"), kNone);
  EXPECT_TRUE(server_.requests().empty());

  // Settings the plugin takes still make a model that answers, with them.
  c = config();
  c.options["max_tokens_cap"] = "64";
  c.params.max_new_tokens = 1000;
  EXPECT_FALSE(runtime_.model(c).chat({{.role = "user", .content = "hi"}}).content.empty());
  ASSERT_EQ(server_.requests().size(), 1U);
  EXPECT_NE(server_.requests()[0].body.find("\"max_tokens\":64"), kNone)
      << server_.requests()[0].body;
}

TEST_F(SettingsChecked, AConnectOrReadLimitOfZeroIsRefused) {
  core::ModelConfig c = config();
  c.transport.connect_timeout = std::chrono::milliseconds(0);
  EXPECT_NE(refusal(c).find("transport.connect_timeout must be above 0 ms, got 0 ms"), kNone);
  c = config();
  c.transport.read_timeout = std::chrono::milliseconds(-5);
  EXPECT_NE(refusal(c).find("transport.read_timeout must be above 0 ms, got -5 ms"), kNone);
  EXPECT_TRUE(server_.requests().empty());
}

// A mistyped proxy was looked up as a host name on every call, a network error retried each
// time.
// A price an embedder sets is checked as a configuration file's is: any cost is then finite.
TEST_F(SettingsChecked, APriceThatIsNegativeNotANumberOrHugeIsRefused) {
  for (auto [rate, shown] :
       {std::pair{-1.0, "-1"}, std::pair{std::nan(""), "nan"}, std::pair{1e308, "1e+308"}}) {
    core::ModelConfig c = config();
    c.price = core::Price{.input = 1, .output = 2, .reasoning = rate};
    EXPECT_NE(refusal(c).find(std::string("price.reasoning must be a number from 0 to 1e9, got ") +
                              shown),
              kNone);
  }
  core::ModelConfig c = config();
  c.price = core::Price{.input = 1e9, .output = 1e9};
  const ChatResult r = runtime_.model(c).chat({{.role = "user", .content = "hi"}});
  ASSERT_TRUE(r.cost.has_value());
  EXPECT_GT(*r.cost, 0);
}

TEST_F(SettingsChecked, AProxyThatCannotBeParsedIsRefused) {
  for (const char* proxy : {"bad proxy", "http://proxy\t:3128", "http://\"q\"", "socks5://p:1",
                            "http://%31%32%37.0.0.1:1", "http://127.0.0.1:1:80", "http://[::1"}) {
    core::ModelConfig c = config();
    c.transport.proxy = proxy;
    EXPECT_NE(refusal(c).find("transport.proxy: proxy URL "), kNone) << proxy;
  }
  EXPECT_NE(refusal([&] {
              core::ModelConfig c = config();
              c.transport.proxy = "http://bad host:8080";
              return c;
            }())
                .find("proxy URL has a bad host 'bad host'"),
            kNone);
  // A password with an unencoded '/', '#' or "://" was split where the host, the port or the
  // scheme is looked for, and shown (and looked up) as one: refused, showing no piece of it.
  for (const char* proxy :
       {"http://bob:a:b/c@proxy:1", "http://bob:s3cr#t@p:1", "http://bob:s3cr://a:b@p:1",
        "bob:s3cr://a:b@p:1", "http://bob:a:b@127.0.0.1:1:80"}) {
    core::ModelConfig c = config();
    c.transport.proxy = proxy;
    const std::string message = refusal(c);
    EXPECT_NE(message.find("user part"), kNone) << message;
    EXPECT_EQ(message.find("bob"), kNone) << message;
    EXPECT_EQ(message.find("s3cr"), kNone) << message;
    EXPECT_EQ(message.find("a:b"), kNone) << message;
  }
  EXPECT_TRUE(server_.requests().empty());

  // Names, addresses, a user and an IPv6 literal with its port all still parse.
  for (const char* proxy :
       {"http://proxy.example:3128", "http://u:p%40ss%2F@10.0.0.1:8080", "http://[::1]:3128",
        "proxy_host", "HTTP://proxy:1", "::1:3128", "http://[fe80::1%25eth0]:3128"}) {
    core::ModelConfig c = config();
    c.transport.proxy = proxy;
    EXPECT_NO_THROW(runtime_.model(c)) << proxy;
  }
}

// One from the environment, for the API base the model's calls go to, is checked as well and
// named by its variable (calls read the environment again, each for itself). Nothing is sent:
// the model is only made.
TEST_F(SettingsChecked, AProxyFromTheEnvironmentThatCannotBeParsedIsRefusedNamingIt) {
  // The machine's own proxy variables set aside for the test, and put back however it ends.
  struct Environment {
    std::vector<std::pair<std::string, std::optional<std::string>>> saved;
    Environment() {
      for (const char* name : {"http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY"}) {
        const char* value = std::getenv(name);
        saved.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
        ::unsetenv(name);
      }
    }
    ~Environment() {
      for (const auto& [name, value] : saved) {
        if (value) {
          ::setenv(name.c_str(), value->c_str(), 1);
        } else {
          ::unsetenv(name.c_str());
        }
      }
    }
  } environment;
  ::setenv("HTTP_PROXY", "bad proxy", 1);
  core::ModelConfig c = config();
  c.api_base = "http://example.invalid/v1";
  const std::string message = refusal(c);
  EXPECT_NE(message.find("$HTTP_PROXY: proxy URL has a bad host 'bad proxy'"), kNone) << message;
  // Not for a loopback API base, which no proxy from the environment is used for.
  EXPECT_NO_THROW(runtime_.model(config()));
}

TEST_F(SettingsChecked, AModelOfAFileThePluginRefusesNamesTheFile) {
  test::TempDir dir;
  const std::string file = dir.write(
      "llmrt.json", R"({"models": {"gpt": {"model": "m", "api_base": ")" + server_.base_url() +
                        R"(/v1", "keys": "k", "params": {"max_tokens": 5}}}})");
  core::Runtime runtime = core::Runtime::from_config(file);
  try {
    runtime.model("gpt");
    ADD_FAILURE() << "the model was made";
  } catch (const Error& e) {
    EXPECT_NE(e.info().message.find(file + ": model 'gpt': parameter 'max_tokens'"), kNone)
        << e.info().message;
  }
  EXPECT_TRUE(server_.requests().empty());
}

}  // namespace
}  // namespace llmrt
