#include "diagnostics/redactor.h"

#include <gtest/gtest.h>

namespace llmrt::core {
namespace {

TEST(Redactor, EveryKeyBecomesItsMaskWherever) {
  Redactor r;
  r.add_key("sk-first-key-1111");
  r.add_key("sk-second-key-2222");
  EXPECT_EQ(r.apply("keys sk-first-key-1111, sk-second-key-2222 and sk-first-key-1111."),
            "keys …1111, …2222 and …1111.");
}

TEST(Redactor, LongerSecretsGoFirst) {
  Redactor r;
  r.add_key("sk-abcdefgh");
  r.add_key("sk-abcdefgh-longer-9999");
  EXPECT_EQ(r.apply("sk-abcdefgh-longer-9999 / sk-abcdefgh"), "…9999 / …efgh");
}

// The documented minimum: placeholders shorter than 8 characters are not searched for.
TEST(Redactor, ShortSecretsAreLeftInText) {
  Redactor r;
  for (const char* placeholder : {"EMPTY", "none", "k", "ollama", "1234567"})
    r.add_key(placeholder);
  r.add_key("12345678");
  EXPECT_EQ(r.apply("EMPTY none k ollama 1234567 12345678"), "EMPTY none k ollama 1234567 …5678");
  EXPECT_EQ(Redactor::kMinSecretLength, 8u);
}

TEST(Redactor, UrlUserinfoAndPasswordRawAndDecoded) {
  Redactor r;
  r.add_url("http://proxyuser:pa%40ss-word-1@proxy.example:3128");
  EXPECT_EQ(r.apply("password pa%40ss-word-1 or pa@ss-word-1"),
            "password [redacted] or [redacted]");
  EXPECT_EQ(r.apply("user proxyuser"), "user proxyuser");  // a user name is no secret alone
  // As the proxy got them ("proxyuser:pa@ss-word-1" in base64), echoed in a 407.
  EXPECT_EQ(r.apply("bad credentials: Basic cHJveHl1c2VyOnBhQHNzLXdvcmQtMQ=="),
            "bad credentials: Basic [redacted]");
  Redactor none;
  none.add_url("http://proxy.example:3128");
  EXPECT_EQ(none.apply("http://proxy.example:3128"), "http://proxy.example:3128");
}

TEST(Redactor, UserinfoOfAnyUrlInTextIsRemoved) {
  Redactor r;
  EXPECT_EQ(r.apply("POST http://u:pw@127.0.0.1:8080/v1/chat (see https://a@b.example/x)"),
            "POST http://127.0.0.1:8080/v1/chat (see https://b.example/x)");
  EXPECT_EQ(strip_url_userinfo("'http://u:p@h' and \"https://h2/@x\" and mail a@b"),
            "'http://h' and \"https://h2/@x\" and mail a@b");
}

TEST(Redactor, EveryStringOfAnError) {
  Redactor r;
  r.add_key("sk-error-key-abcd");
  ErrorInfo info{.kind = ErrorKind::auth,
                 .http_status = 401,
                 .code = "sk-error-key-abcd",
                 .message = "bad sk-error-key-abcd",
                 .request_id = "req-sk-error-key-abcd",
                 .provider = "p-sk-error-key-abcd"};
  ErrorInfo out = r.apply(info);
  EXPECT_EQ(out.code, "…abcd");
  EXPECT_EQ(out.message, "bad …abcd");
  EXPECT_EQ(out.request_id, "req-…abcd");
  EXPECT_EQ(out.provider, "p-…abcd");
  EXPECT_EQ(out.http_status, 401);
}

TEST(Redactor, UrlWithoutUserinfo) {
  EXPECT_EQ(url_without_userinfo("http://u:p@h:1/v1?q=a@b"), "http://h:1/v1?q=a@b");
  EXPECT_EQ(url_without_userinfo("http://u:p@ss@h:1"), "http://h:1");
  EXPECT_EQ(url_without_userinfo("user:secret@proxy:3128"), "proxy:3128");
  EXPECT_EQ(url_without_userinfo("http://h:1/x@y"), "http://h:1/x@y");
  EXPECT_EQ(url_userinfo("http://u:p@ss@h:1"), "u:p@ss");
  EXPECT_EQ(url_userinfo("http://h"), "");
}

TEST(Redactor, UrlWithoutSecretsKeepsQueryNamesOnly) {
  EXPECT_EQ(url_without_secrets("https://u:p@h/v1/x?key=sk-1&api-version=2024&flag#frag"),
            "https://h/v1/x?key=[redacted]&api-version=[redacted]&flag");
  EXPECT_EQ(url_without_secrets("http://h:1/v1/chat/completions"),
            "http://h:1/v1/chat/completions");
  EXPECT_EQ(url_without_secrets("http://h/?"), "http://h/?");
}

TEST(Redactor, TheUrlOfAnErrorToo) {
  Redactor r;
  r.add_key("sk-error-key-abcd");
  ErrorInfo info{.kind = ErrorKind::server, .url = "http://h/sk-error-key-abcd/v1"};
  EXPECT_EQ(r.apply(info).url, "http://h/…abcd/v1");
}

}  // namespace
}  // namespace llmrt::core
