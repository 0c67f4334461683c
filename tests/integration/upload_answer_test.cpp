// A request's upload and what a server does meanwhile, over real HTTP from a raw loopback
// server, on a blocking call and on a batch's event loop: an answer sent before the request was
// read whole is the call's, whether the server then closes, stops reading or reads on; what is
// no HTTP answer is the server's protocol error; the read timeout bounds the upload's silences,
// not a slow upload that keeps moving, and a silence is never sent again.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "llmrt/core/batch.h"
#include "llmrt/core/runtime.h"
#include "llmrt/sdk/error.h"
#include "support/chat_either_way.h"
#include "support/connection_server.h"
#include "support/fine_reply.h"

namespace llmrt {
namespace {

using test::fine_reply;

class Upload : public ::testing::TestWithParam<bool> {
 protected:
  Error early_answer_error(const std::string& answer,
                           const std::function<void(int client)>& after_answer,
                           const std::string& interim = "");
  void expect_early_answer(const std::function<void(int client)>& after_answer,
                           const std::string& interim = "");

  core::Runtime runtime_{{LLMRT_TEST_PLUGIN_DIR}};
  std::vector<Message> hello_{{.role = "user", .content = "Say hello"}};
};

// The head of the request on `client`, read a byte at a time, with a small receive buffer: a
// large request cannot then all fit in the two sockets' buffers, so its send is still under way
// when the server answers.
std::string read_request_head(int client) {
  const int small = 64 << 10;
  ::setsockopt(client, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  std::string head;
  char c = 0;
  while (head.find("\r\n\r\n") == std::string::npos && ::recv(client, &c, 1, 0) == 1) head += c;
  return head;
}

// The body announced in `head`, read and dropped, `pause` before each read: false when the
// connection ends first.
bool read_request_body(int client, const std::string& head, std::chrono::microseconds pause) {
  std::size_t left = std::stoul(head.substr(head.find("Content-Length: ") + 16));
  std::vector<char> buffer(64 << 10);
  while (left > 0) {
    if (pause.count() > 0) ::usleep(static_cast<useconds_t>(pause.count()));
    const ssize_t n = ::recv(client, buffer.data(), std::min(left, buffer.size()), 0);
    if (n <= 0) return false;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

// Until the client closes its end (after the call), or ten seconds: then the handler ends.
void wait_for_the_clients_close(int client) {
  pollfd p{.fd = client, .events = POLLRDHUP, .revents = 0};
  for (int i = 0; i < 1000 && ::poll(&p, 1, 10) == 0; ++i) {
  }
}

// A model for a large upload to `api_base`.
core::ModelConfig upload_config(const std::string& api_base, std::chrono::milliseconds read,
                                int retries) {
  core::ModelConfig c;
  c.model = "m";
  c.api_base = api_base;
  c.keys = {"sk-test-key-0001"};
  c.retry.max_retries = retries;
  c.transport.read_timeout = read;
  return c;
}

// A call with an 8 MiB body to a server that reads the request's head only, then sends
// `interim` (if any) and `answer`, then does `after_answer` with the connection (most of the
// request unread). Retries are on: a network error would be retried. The call's error, and
// checks that it came at once (not after the read timeout) and from one request per call.
Error Upload::early_answer_error(const std::string& answer,
                                 const std::function<void(int client)>& after_answer,
                                 const std::string& interim) {
  std::atomic<int> requests{0};
  test::ConnectionServer server([&](int client) {
    read_request_head(client);
    ++requests;
    if (!interim.empty()) {
      test::send_all(client, interim);
      ::usleep(20'000);  // a wake of its own for the send: the answer comes after
    }
    test::send_all(client, answer);
    after_answer(client);
  });
  // Retries on: a network error would be retried. 20 s is what a send that waits on would meet.
  core::ChatModel m = runtime_.model(upload_config(server.api_base(), std::chrono::seconds(20), 2));
  const std::vector<Message> big{{.role = "user", .content = std::string(8 << 20, 'x')}};
  const auto start = std::chrono::steady_clock::now();
  std::optional<Error> error;
  try {
    test::chat_either_way(m, big, GetParam());
  } catch (const Error& e) {
    error = e;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(requests.load(), GetParam() ? 2 : 1);
  if (!error) {
    ADD_FAILURE() << "the call must fail";
    return Error(ErrorKind::protocol, "no error");
  }
  return *error;
}

// The answer is a 413: the call's own error, not a network error nor a timeout.
void Upload::expect_early_answer(const std::function<void(int client)>& after_answer,
                                 const std::string& interim) {
  const std::string error_body =
      R"({"error":{"message":"request too large","type":"invalid_request_error"}})";
  const Error e = early_answer_error(
      "HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n"
      "Content-Length: " +
          std::to_string(error_body.size()) + "\r\n\r\n" + error_body,
      after_answer, interim);
  EXPECT_EQ(e.kind(), ErrorKind::bad_request) << e.what();
  EXPECT_EQ(e.info().http_status, 413) << e.what();
  EXPECT_NE(std::string(e.what()).find("request too large"), std::string::npos) << e.what();
}

// It closes: the send fails on the reset.
TEST_P(Upload, AnAnswerBeforeTheWholeRequestWasReadIsTheCallsOwn) {
  expect_early_answer([](int client) {
    ::usleep(50'000);
    // The last close of the socket, with its unread bytes, sends the reset; its number stays
    // taken (by a socket of no connection) until the server closes it as it does any other.
    const int spare = ::socket(AF_INET, SOCK_STREAM, 0);
    ::dup2(spare, client);
    ::close(spare);
  });
}

// It neither reads on nor closes (until the call is over): the send would wait for room until
// the read timeout. The answer is seen while it waits.
TEST_P(Upload, AnAnswerFromAServerThatStopsReadingEndsTheSend) {
  expect_early_answer(wait_for_the_clients_close);
}

// An interim response first does not end the send (it asks for the rest); the answer after it
// does.
TEST_P(Upload, AnAnswerAfterAnInterimResponseEndsTheSend) {
  expect_early_answer(wait_for_the_clients_close, "HTTP/1.1 100 Continue\r\n\r\n");
}

// What came early and is no HTTP answer (garbage; more interim responses than llmrt takes) is
// the server's protocol error: not a network error retried with the whole body again.
TEST_P(Upload, AnEarlyAnswerThatIsNoHttpIsTheServersProtocolError) {
  std::string interims;
  for (int i = 0; i < 17; ++i) interims += "HTTP/1.1 100 Continue\r\n\r\n";
  for (const std::string& answer : {std::string("garbage that is no HTTP\r\n\r\n"),
                                    interims + "HTTP/1.1 413 Too Large\r\n\r\n"}) {
    const Error e = early_answer_error(answer, wait_for_the_clients_close);
    EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
  }
}

// A server may answer 200 and read on (a reply it streams while the upload goes on), or send
// an interim response larger than the buffer the send looks at (a 103 with 20 KiB of links):
// the send goes on to the end, and the reply is read whole after it.
TEST_P(Upload, A2xxOrALargeInterimResponseBeforeTheWholeRequestLetsTheSendFinish) {
  const std::string reply = fine_reply();
  std::string hints = "HTTP/1.1 103 Early Hints\r\n";
  for (int i = 0; i < 100; ++i) {
    hints += "Link: </style-" + std::to_string(i) + "-" + std::string(160, 'x') +
             ".css>; rel=preload\r\n";
  }
  hints += "\r\n";
  ASSERT_GT(hints.size(), std::size_t{16} << 10);
  // What comes before the whole request is in, and what comes after.
  const std::vector<std::pair<std::string, std::string>> answers{
      {reply.substr(0, reply.size() - 10), reply.substr(reply.size() - 10)}, {hints, reply}};
  for (const auto& [early, late] : answers) {
    test::ConnectionServer server([&](int client) {
      const std::string head = read_request_head(client);
      test::send_all(client, early);
      if (!read_request_body(client, head, std::chrono::microseconds(0))) return;
      test::send_all(client, late);
      wait_for_the_clients_close(client);
    });
    core::ChatModel m =
        runtime_.model(upload_config(server.api_base(), std::chrono::seconds(20), 0));
    const std::vector<Message> big{{.role = "user", .content = std::string(8 << 20, 'x')}};
    EXPECT_EQ(test::chat_either_way(m, big, GetParam()), "fine") << early.substr(0, 12);
  }
}

// The read timeout bounds silences: an upload that keeps moving, slower than the timeout in
// all (16 MiB taken 64 KiB every 8 ms, about 2 s, against 1.5 s), is not cut, and its answer
// is the call's. (The head's limit starts when the last byte is handed to the kernel: what its
// send buffer still holds, 4 MiB at most here, is drained within it.)
TEST_P(Upload, ASlowUploadThatKeepsMovingIsNotCutByTheReadTimeout) {
  const std::string reply = fine_reply();
  test::ConnectionServer server([&](int client) {
    const std::string head = read_request_head(client);
    if (!read_request_body(client, head, std::chrono::milliseconds(8))) return;
    test::send_all(client, reply);
    wait_for_the_clients_close(client);
  });
  core::ChatModel m =
      runtime_.model(upload_config(server.api_base(), std::chrono::milliseconds(1500), 0));
  const std::vector<Message> big{{.role = "user", .content = std::string(16 << 20, 'x')}};
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(test::chat_either_way(m, big, GetParam()), "fine");
  EXPECT_GT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1500));
}

// A server that stops taking the request and says nothing: the call fails after one read
// timeout of silence, named for the send, and is not sent again though its connection was a
// pooled one (a silence is no connection closed unannounced). It took twice the read timeout,
// and a third with the resend.
TEST_P(Upload, AnUploadTheServerStopsTakingFailsAfterOneReadTimeoutAndIsNotSentAgain) {
  std::atomic<int> requests{0};
  // When the server last stopped taking an upload: the time the client spends making a 16 MiB
  // body (seconds under a sanitizer) is not the silence this test is about.
  std::atomic<std::chrono::steady_clock::rep> stopped_taking{0};
  test::ConnectionServer server([&](int client) {
    while (true) {
      const std::string head = read_request_head(client);
      if (head.empty()) return;
      ++requests;
      if (head.find("Content-Length: ") == std::string::npos ||
          std::stoul(head.substr(head.find("Content-Length: ") + 16)) > (1 << 20)) {
        stopped_taking = std::chrono::steady_clock::now().time_since_epoch().count();
        wait_for_the_clients_close(client);  // takes no more of it, answers nothing
        return;
      }
      if (!read_request_body(client, head, std::chrono::microseconds(0))) return;
      test::send_all(client, fine_reply());
    }
  });
  core::ModelConfig c = upload_config(server.api_base(), std::chrono::milliseconds(1000), 0);
  core::ChatModel m = runtime_.model(c);
  EXPECT_EQ(test::chat_either_way(m, hello_, GetParam()), "fine");  // leaves pooled connections
  const int before = requests.load();
  const std::vector<Message> big{{.role = "user", .content = std::string(16 << 20, 'x')}};
  try {
    test::chat_either_way(m, big, GetParam());
    FAIL() << "the call must fail";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout) << e.what();
    EXPECT_NE(std::string(e.what()).find("sending the request to"), std::string::npos) << e.what();
  }
  // One read timeout (1 s) after the server stopped taking, not two.
  const std::chrono::steady_clock::time_point stopped{
      std::chrono::steady_clock::duration{stopped_taking.load()}};
  EXPECT_LT(std::chrono::steady_clock::now() - stopped, std::chrono::milliseconds(1700));
  EXPECT_EQ(requests.load() - before, GetParam() ? 2 : 1);
}

INSTANTIATE_TEST_SUITE_P(BlockingAndOnTheLoop, Upload, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Batch" : "Blocking"; });

}  // namespace
}  // namespace llmrt
