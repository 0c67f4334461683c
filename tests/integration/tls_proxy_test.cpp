// TLS with a CA made at test time (openssl), and an HTTP proxy (tinyproxy) on loopback, plain
// and with CONNECT for HTTPS.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "llmrt/core/runtime.h"
#include "llmrt/mock/mock_server.h"
#include "support/background_process.h"
#include "support/temp_dir.h"

namespace llmrt {
namespace {

class Secure : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir;
    certs_ = new test::TestCertificates(test::make_test_certificates(dir_->path()));
  }
  static void TearDownTestSuite() {
    delete certs_;
    delete dir_;
  }

  core::ModelConfig https_config(const std::string& host, const std::string& ca_file) const {
    core::ModelConfig c;
    c.model = "gpt-test";
    c.api_base = "https://" + host + ":" + std::to_string(server_.port()) + "/v1";
    c.keys = {"sk-tls-test"};
    c.retry.max_retries = 2;
    c.transport.ca_file = ca_file;
    c.wait_hook = [this](std::chrono::milliseconds) { ++waits_; };
    return c;
  }
  static void expect_certificate_failure(const core::ChatModel& model) {
    try {
      model.chat({{.role = "user", .content = "hi"}});
      FAIL() << "an untrusted server was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::network) << e.what();
      EXPECT_EQ(e.info().code, "certificate_verify_failed") << e.what();
    }
  }

  static test::TempDir* dir_;
  static test::TestCertificates* certs_;
  mock::MockServer server_{
      {.tls_certificate_file = certs_->certificate, .tls_private_key_file = certs_->private_key}};
  core::Runtime runtime_{{LLMRT_TEST_PLUGIN_DIR}};
  mutable int waits_ = 0;
};

test::TempDir* Secure::dir_ = nullptr;
test::TestCertificates* Secure::certs_ = nullptr;

TEST_F(Secure, TrustedCaWorksWholeAndStreamed) {
  core::ChatModel m = runtime_.model(https_config("localhost", certs_->ca));
  EXPECT_EQ(m.chat({{.role = "user", .content = "hi"}}).content, mock::Scenario{}.full_content());
  std::string text;
  for (const auto& chunk : m.stream_chat({{.role = "user", .content = "hi"}})) text += chunk.delta;
  EXPECT_EQ(text, mock::Scenario{}.full_content());
}

TEST_F(Secure, ABatchOverTlsIsAnsweredInFull) {
  // A fiber has a TLS exchange done on a helper thread (OpenSSL waits in the socket).
  core::ChatModel m = runtime_.model(https_config("localhost", certs_->ca));
  std::vector<core::BatchItem> items(12, core::BatchItem{{{.role = "user", .content = "hi"}}, {}});
  std::vector<core::BatchOutcome> outcomes = m.chat_batch(items, {.concurrency = 4});
  for (const core::BatchOutcome& o : outcomes) {
    ASSERT_TRUE(o.ok()) << o.error->what();
    EXPECT_EQ(o.result->content, mock::Scenario{}.full_content());
  }
}

// A stream opened on the loop (from on_item) reads TLS on helper threads, record by record.
TEST_F(Secure, AStreamFromABatchsOnItemReadsOverTls) {
  core::ChatModel m = runtime_.model(https_config("localhost", certs_->ca));
  std::vector<core::BatchItem> items(4, core::BatchItem{{{.role = "user", .content = "hi"}}, {}});
  std::vector<std::string> streamed;
  core::BatchOptions options;
  options.concurrency = 2;
  options.on_item = [&](std::size_t, const core::BatchOutcome&) {
    std::string text;
    for (const core::StreamChunk& chunk : m.stream_chat({{.role = "user", .content = "more"}})) {
      text = chunk.text;
    }
    streamed.push_back(text);
  };
  std::vector<core::BatchOutcome> outcomes = m.chat_batch(items, options);
  for (const core::BatchOutcome& o : outcomes) EXPECT_TRUE(o.ok()) << o.error->what();
  ASSERT_EQ(streamed.size(), 4u);
  for (const std::string& text : streamed) EXPECT_EQ(text, mock::Scenario{}.full_content());
}

TEST_F(Secure, UntrustedCaFailsAndIsNotRetried) {
  expect_certificate_failure(runtime_.model(https_config("localhost", "")));  // system CAs only
  EXPECT_EQ(waits_, 0);
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(Secure, WrongHostNameFails) {
  // The certificate names "localhost" only.
  expect_certificate_failure(runtime_.model(https_config("127.0.0.1", certs_->ca)));
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(Secure, MissingCaFileIsAConfigurationError) {
  try {
    runtime_.model(https_config("localhost", dir_->path() + "/nope.pem"));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    EXPECT_NE(std::string(e.what()).find("nope.pem"), std::string::npos) << e.what();
  }
}

// tinyproxy on a free loopback port, logging the requests it forwards.
class TinyProxy {
 public:
  explicit TinyProxy(const std::string& dir)
      : port_(test::free_loopback_port()), log_(dir + "/tinyproxy.log") {
    std::string conf = dir + "/tinyproxy.conf";
    std::ofstream(conf) << "Port " << port_ << "\nListen 127.0.0.1\nTimeout 30\n"
                        << "Allow 127.0.0.1\nMaxClients 50\nLogLevel Connect\nLogFile \"" << log_
                        << "\"\n";
    process_ = std::make_unique<test::BackgroundProcess>(
        std::vector<std::string>{"/usr/bin/tinyproxy", "-d", "-c", conf});
    if (!test::wait_for_port(port_)) throw std::runtime_error("tinyproxy did not start");
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string log() const {
    std::ifstream in(log_);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

 private:
  int port_;
  std::string log_;
  std::unique_ptr<test::BackgroundProcess> process_;
};

core::ModelConfig plain_config(const mock::MockServer& server) {
  core::ModelConfig c;
  c.model = "gpt-test";
  c.api_base = server.base_url() + "/v1";
  c.keys = {"sk-proxy-test"};
  return c;
}

TEST(Proxy, PlainHttpThroughTinyproxyWithStaleConnectionsReconnected) {
  test::TempDir dir;
  TinyProxy proxy(dir.path());
  mock::MockServer server;
  core::Runtime runtime({LLMRT_TEST_PLUGIN_DIR});
  core::ModelConfig c = plain_config(server);
  c.retry.max_retries = 0;  // the stale-connection resend is the transport's, not a retry
  c.transport.proxy = proxy.url();
  core::ChatModel m = runtime.model(c);
  // tinyproxy closes each connection after its response without saying so: the second and
  // third calls find a dead pooled connection and must resend on a new one.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(m.chat({{.role = "user", .content = "hi"}}).content, mock::Scenario{}.full_content());
  }
  std::string text;
  for (const auto& chunk : m.stream_chat({{.role = "user", .content = "hi"}})) text += chunk.delta;
  EXPECT_EQ(text, mock::Scenario{}.full_content());
  ASSERT_EQ(server.requests().size(), 4u);
  const std::string* via = find_header(server.last_request().headers, "Via");
  ASSERT_NE(via, nullptr) << "the request did not pass the proxy";
  EXPECT_NE(proxy.log().find("POST " + server.base_url() + "/v1/chat/completions"),
            std::string::npos)
      << proxy.log();
}

// The same on a batch's fibers: a dead pooled connection found in epoll is resent on a new one.
TEST(Proxy, ABatchThroughTinyproxyResendsOnStaleConnections) {
  test::TempDir dir;
  TinyProxy proxy(dir.path());
  mock::MockServer server;
  core::Runtime runtime({LLMRT_TEST_PLUGIN_DIR});
  core::ModelConfig c = plain_config(server);
  c.retry.max_retries = 0;
  c.transport.proxy = proxy.url();
  std::vector<core::BatchItem> items(9, core::BatchItem{{{.role = "user", .content = "hi"}}, {}});
  std::vector<core::BatchOutcome> outcomes = runtime.model(c).chat_batch(items, {.concurrency = 3});
  for (const core::BatchOutcome& o : outcomes) {
    ASSERT_TRUE(o.ok()) << o.error->what();
    EXPECT_EQ(o.result->content, mock::Scenario{}.full_content());
  }
  EXPECT_EQ(server.requests().size(), 9u);
  EXPECT_NE(find_header(server.last_request().headers, "Via"), nullptr);
}

TEST(Proxy, HostAndPortWithoutASchemeIsAnHttpProxy) {
  test::TempDir dir;
  TinyProxy proxy(dir.path());
  mock::MockServer server;
  core::Runtime runtime({LLMRT_TEST_PLUGIN_DIR});
  core::ModelConfig c = plain_config(server);
  c.transport.proxy = proxy.url().substr(std::string("http://").size());  // as curl takes it
  EXPECT_EQ(runtime.model(c).chat({{.role = "user", .content = "hi"}}).content,
            mock::Scenario{}.full_content());
  EXPECT_NE(find_header(server.last_request().headers, "Via"), nullptr);
}

TEST(Proxy, RefusedProxyIsNamedAndItsPasswordIsNot) {
  mock::MockServer server;
  core::Runtime runtime({LLMRT_TEST_PLUGIN_DIR});
  core::ModelConfig c = plain_config(server);
  c.retry.max_retries = 0;
  int port = test::free_loopback_port();  // nobody listens there
  c.transport.proxy = "http://alice:pr0xy-s3cret@127.0.0.1:" + std::to_string(port);
  try {
    runtime.model(c).chat({{.role = "user", .content = "hi"}});
    FAIL() << "a closed proxy port answered";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::network) << what;
    EXPECT_NE(what.find("connecting to proxy http://127.0.0.1:" + std::to_string(port)),
              std::string::npos)
        << what;
    EXPECT_EQ(what.find("pr0xy-s3cret"), std::string::npos) << what;
  }
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(Secure, HttpsThroughTinyproxyWithConnect) {
  TinyProxy proxy(dir_->path());
  core::ModelConfig c = https_config("localhost", certs_->ca);
  c.transport.proxy = proxy.url();
  std::string text;
  for (const auto& chunk : runtime_.model(c).stream_chat({{.role = "user", .content = "hi"}})) {
    text += chunk.delta;
  }
  EXPECT_EQ(text, mock::Scenario{}.full_content());
  EXPECT_NE(proxy.log().find("CONNECT localhost:" + std::to_string(server_.port())),
            std::string::npos)
      << proxy.log();
}

}  // namespace
}  // namespace llmrt
