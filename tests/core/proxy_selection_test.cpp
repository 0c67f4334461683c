#include <gtest/gtest.h>

#include <map>

#include "http/proxy_selection.h"

namespace llmrt::core {
namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

Endpoint https_host(std::string host) { return {true, std::move(host), 443, "/"}; }
Endpoint http_host(std::string host) { return {false, std::move(host), 80, "/"}; }

TEST(ProxySelection, ConfiguredProxyAlwaysWins) {
  EXPECT_EQ(select_proxy(http_host("127.0.0.1"), "http://p:3128", true, env_of({})),
            "http://p:3128");
}

TEST(ProxySelection, EnvironmentBySchemeInEitherCase) {
  auto env = env_of({{"HTTPS_PROXY", "http://secure:1"}, {"http_proxy", "http://plain:2"}});
  EXPECT_EQ(select_proxy(https_host("api.openai.com"), "", true, env), "http://secure:1");
  EXPECT_EQ(select_proxy(http_host("api.openai.com"), "", true, env), "http://plain:2");
  EXPECT_EQ(select_proxy(https_host("api.openai.com"), "", false, env), "");
}

TEST(ProxySelection, NoProxyAndLoopbackBypass) {
  auto env = env_of({{"HTTPS_PROXY", "http://secure:1"},
                     {"NO_PROXY", "internal.example, .corp.example,10.0.0.1:8080"}});
  EXPECT_EQ(select_proxy(https_host("internal.example"), "", true, env), "");
  EXPECT_EQ(select_proxy(https_host("a.internal.example"), "", true, env), "");
  EXPECT_EQ(select_proxy(https_host("x.corp.example"), "", true, env), "");
  EXPECT_EQ(select_proxy(https_host("10.0.0.1"), "", true, env), "");
  EXPECT_EQ(select_proxy(https_host("notinternal.example"), "", true, env), "http://secure:1");
  EXPECT_EQ(select_proxy(https_host("localhost"), "", true, env), "");
  EXPECT_EQ(select_proxy(https_host("127.0.0.1"), "", true, env), "");
}

TEST(ProxySelection, NoProxyStarMatchesEverything) {
  EXPECT_TRUE(no_proxy_matches("*", "anything.example"));
  EXPECT_FALSE(no_proxy_matches("", "anything.example"));
  EXPECT_TRUE(no_proxy_matches("EXAMPLE.com", "api.example.COM"));
}

}  // namespace
}  // namespace llmrt::core
