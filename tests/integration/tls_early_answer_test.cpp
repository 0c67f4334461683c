// An HTTPS server that answers before it has read the request (a 413 for a body too large, as
// front ends of real providers send it) and closes: the answer is the call's, over TLS as over
// plain HTTP (head_cut_test.cpp), blocking and in a batch, and the big body is not sent again.
#include <gtest/gtest.h>

#include <Poco/Net/Context.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Timespan.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "llmrt/core/runtime.h"
#include "support/background_process.h"
#include "support/temp_dir.h"

namespace llmrt {
namespace {

const std::string kErrorBody =
    R"({"error":{"message":"request too large","type":"invalid_request_error"}})";

// Reads each connection's request head over TLS, answers 413 with `Connection: close`, and
// closes with the body unread (the close then resets the connection under the client's send).
class EarlyAnsweringTlsServer {
 public:
  explicit EarlyAnsweringTlsServer(const test::TestCertificates& certs)
      : listener_(server_context(certs)) {
    listener_.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
    // Before listening, so that accepted connections have it: the request cannot all fit in the
    // two sockets' buffers, so the client is still sending when the server closes.
    listener_.setReceiveBufferSize(64 << 10);
    listener_.listen(16);
    thread_ = std::thread([this] { serve(); });
  }
  ~EarlyAnsweringTlsServer() {
    stop_ = true;
    thread_.join();
  }
  EarlyAnsweringTlsServer(const EarlyAnsweringTlsServer&) = delete;
  EarlyAnsweringTlsServer& operator=(const EarlyAnsweringTlsServer&) = delete;

  std::string api_base() const {
    return "https://localhost:" + std::to_string(listener_.address().port()) + "/v1";
  }
  int requests() const { return requests_.load(); }

 private:
  static Poco::Net::Context::Ptr server_context(const test::TestCertificates& certs) {
    Poco::Net::initializeSSL();
    return new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, certs.private_key,
                                  certs.certificate, "", Poco::Net::Context::VERIFY_NONE);
  }

  void serve() {
    while (!stop_) {
      if (!listener_.poll(Poco::Timespan(0, 20'000), Poco::Net::Socket::SELECT_READ)) continue;
      try {
        Poco::Net::SecureStreamSocket client = listener_.acceptConnection();
        answer_early(client);
      } catch (const Poco::Exception&) {
        // A handshake the client gave up on: the next connection is served all the same.
      }
    }
  }

  void answer_early(Poco::Net::SecureStreamSocket& client) {
    std::string head;
    char buffer[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
      const int n = client.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) return;
      head.append(buffer, static_cast<std::size_t>(n));
    }
    ++requests_;
    const std::string answer =
        "HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\nContent-Type: "
        "application/json\r\nContent-Length: " +
        std::to_string(kErrorBody.size()) + "\r\n\r\n" + kErrorBody;
    client.sendBytes(answer.data(), static_cast<int>(answer.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    client.close();  // most of the body still unread: the client's send meets a reset
  }

  Poco::Net::SecureServerSocket listener_;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

class TlsEarlyAnswer : public ::testing::TestWithParam<bool> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir;
    certs_ = new test::TestCertificates(test::make_test_certificates(dir_->path()));
  }
  static void TearDownTestSuite() {
    delete certs_;
    delete dir_;
  }

  static test::TempDir* dir_;
  static test::TestCertificates* certs_;
  core::Runtime runtime_{{LLMRT_TEST_PLUGIN_DIR}};
};

test::TempDir* TlsEarlyAnswer::dir_ = nullptr;
test::TestCertificates* TlsEarlyAnswer::certs_ = nullptr;

TEST_P(TlsEarlyAnswer, TheAnswerIsTheCallsOwnAndTheBodyIsNotSentAgain) {
  EarlyAnsweringTlsServer server(*certs_);
  core::ModelConfig c;
  c.model = "m";
  c.api_base = server.api_base();
  c.keys = {"sk-test-key-0001"};
  c.transport.ca_file = certs_->ca;
  c.retry.max_retries = 2;  // a network error would be retried: the answer is not
  core::ChatModel m = runtime_.model(c);
  const std::vector<Message> big{{.role = "user", .content = std::string(8 << 20, 'x')}};
  std::vector<Error> errors;
  if (GetParam()) {
    for (const core::BatchOutcome& o :
         m.chat_batch({core::BatchItem{big, {}}, core::BatchItem{big, {}}}, {.concurrency = 2})) {
      ASSERT_FALSE(o.ok()) << "a 413 must fail the call";
      errors.push_back(*o.error);
    }
  } else {
    try {
      m.chat(big);
      FAIL() << "a 413 must fail the call";
    } catch (const Error& e) {
      errors.push_back(e);
    }
  }
  for (const Error& e : errors) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request) << e.what();
    EXPECT_EQ(e.info().http_status, 413) << e.what();
    EXPECT_NE(std::string(e.what()).find("request too large"), std::string::npos) << e.what();
  }
  EXPECT_EQ(server.requests(), GetParam() ? 2 : 1);
}

INSTANTIATE_TEST_SUITE_P(BlockingAndBatch, TlsEarlyAnswer, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Batch" : "Blocking"; });

}  // namespace
}  // namespace llmrt
