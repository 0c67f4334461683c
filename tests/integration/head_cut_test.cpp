// A connection that ends before a response or inside its head, over real HTTP from a raw
// loopback server, on a blocking call and on a batch's event loop: the error says which, and a
// request whose answer had begun to arrive is never sent again (only one that met a pooled
// connection the server had closed, before any byte came back, is, and one answered 408 there).
// And the head's fields as some servers write them: in any case, as lists, folded, with bytes that
// have no place there; chunk-framing lines likewise.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/core/batch.h"
#include "llmrt/core/runtime.h"
#include "llmrt/sdk/error.h"
#include "support/chat_either_way.h"
#include "support/connection_server.h"
#include "support/fine_reply.h"

namespace llmrt {
namespace {

constexpr std::string_view kBody = test::kFineBody;

// What the server sends for one request, and whether it then closes the connection.
struct Reply {
  std::string bytes;
  bool then_close = true;
};

Reply whole() { return {test::fine_reply(), false}; }
// An error reply with a JSON body, on a connection the server keeps.
Reply reply_with_status(std::string_view status) {
  constexpr std::string_view kError = R"({"error":{"message":"timed out upstream"}})";
  return {"HTTP/1.1 " + std::string(status) +
              "\r\nContent-Type: application/json\r\nContent-Length: " +
              std::to_string(kError.size()) + "\r\n\r\n" + std::string(kError),
          false};
}
Reply cut(std::string bytes) { return {std::move(bytes), true}; }

// Answers the Nth request it receives, on whichever connection, with the Nth of `replies` (an
// empty close after the last).
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<Reply> replies) : replies_(std::move(replies)) {}
  std::string api_base() const { return server_.api_base(); }
  int requests() const { return requests_.load(); }
  std::size_t connections() const { return server_.connections(); }

 private:
  void serve(int client) {
    std::string request;
    while (test::read_http_request(client, request)) {
      const auto n = static_cast<std::size_t>(requests_++);
      const Reply reply = n < replies_.size() ? replies_[n] : Reply{};
      test::send_all(client, reply.bytes);
      if (reply.then_close) {
        ::shutdown(client, SHUT_RDWR);
        return;
      }
    }
  }

  std::vector<Reply> replies_;
  std::atomic<int> requests_{0};
  test::ConnectionServer server_{[this](int client) { serve(client); }};  // last: stops first
};

class HeadCut : public ::testing::TestWithParam<bool> {
 protected:
  core::ChatModel model(const ScriptedServer& server) const {
    return runtime_.model(test::scripted_server_config(server.api_base()));
  }
  std::string chat(const core::ChatModel& m) const {
    return test::chat_either_way(m, hello_, GetParam());
  }
  // Two rounds of calls on one model, each read whole: the connections the second round
  // opened (none when the first round's were kept).
  std::size_t connections_opened_by_a_second_round(const ScriptedServer& server) const {
    core::ChatModel m = model(server);
    EXPECT_EQ(chat(m), "fine");
    const std::size_t after_first = server.connections();
    EXPECT_EQ(chat(m), "fine");
    return server.connections() - after_first;
  }
  // The error of a call that must fail, its message checked for `expected`.
  void expect_network_error(const core::ChatModel& m, std::string_view expected) const {
    try {
      chat(m);
      FAIL() << "expected: " << expected;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::network) << e.what();
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  }

  core::Runtime runtime_{{LLMRT_TEST_PLUGIN_DIR}};
  std::vector<Message> hello_{{.role = "user", .content = "Say hello"}};
};

TEST_P(HeadCut, AConnectionThatEndsBeforeAnyResponseSaysSo) {
  ScriptedServer server({cut(""), cut("")});
  expect_network_error(model(server), "the connection closed before any response");
}

TEST_P(HeadCut, AConnectionThatEndsInsideTheHeadSaysSo) {
  const Reply head_cut = cut("HTTP/1.1 200 OK\r\nContent-Type: appl");
  ScriptedServer server({head_cut, head_cut});
  expect_network_error(model(server), "the connection closed inside the response head");
}

TEST_P(HeadCut, APooledConnectionThatEndsInsideTheHeadIsNotSentAgain) {
  // The first call's answer leaves its connection in the pool; the next call's request goes out
  // on it and the server has begun to answer: a second send could run the request twice.
  const std::size_t calls = GetParam() ? 2 : 1;
  std::vector<Reply> replies(calls, whole());
  replies.insert(replies.end(), calls, cut("HTTP/1.1 200 OK\r\nContent-"));
  ScriptedServer server(replies);
  core::ChatModel m = model(server);
  EXPECT_EQ(chat(m), "fine");
  expect_network_error(m, "the connection closed inside the response head");
  EXPECT_EQ(server.requests(), static_cast<int>(2 * calls));
}

// A server that times an idle connection out may say so with a 408 as it closes it; a request
// that met that connection is sent once more on a new one (retries are off here).
TEST_P(HeadCut, A408OnAReusedConnectionIsSentAgainOnANewOne) {
  const std::size_t calls = GetParam() ? 2 : 1;
  std::vector<Reply> replies(calls, whole());
  replies.push_back(
      cut("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
  replies.insert(replies.end(), calls, whole());
  ScriptedServer server(replies);
  core::ChatModel m = model(server);
  EXPECT_EQ(chat(m), "fine");
  EXPECT_EQ(chat(m), "fine");
  EXPECT_EQ(server.requests(), static_cast<int>(2 * calls + 1));
  EXPECT_EQ(server.connections(), calls + 1);
}

// A 408 that keeps its connection is not an idle connection timed out: a gateway's upstream
// timeout, say, after the request was worked on. It is the call's answer, sent once.
TEST_P(HeadCut, A408ThatKeepsItsConnectionIsTheCallsAnswer) {
  const std::size_t calls = GetParam() ? 2 : 1;
  std::vector<Reply> replies(calls, whole());
  replies.push_back(reply_with_status("408 Request Timeout"));
  replies.insert(replies.end(), calls, whole());
  ScriptedServer server(replies);
  core::ChatModel m = model(server);
  EXPECT_EQ(chat(m), "fine");
  try {
    chat(m);
    FAIL() << "a 408 succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(e.info().http_status, 408) << e.what();
  }
  EXPECT_EQ(server.requests(), static_cast<int>(2 * calls));
}

// On a new connection a 408 is the server's answer to this request.
TEST_P(HeadCut, A408OnANewConnectionIsTheCallsAnswer) {
  ScriptedServer server(std::vector<Reply>(
      4, cut("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")));
  try {
    chat(model(server));
    FAIL() << "a 408 succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(e.info().http_status, 408) << e.what();
  }
  EXPECT_EQ(server.requests(), GetParam() ? 2 : 1);
}

// A stream that gave no event: a body framed whole that holds none is the server's fault, not
// retried; one framed by the connection's end (no length, no chunks) may have been cut, inside
// its first event or before it, and is retried like a cut chunked one.
TEST(StreamCut, HowAStreamWithoutAnEventEndedDecidesItsKind) {
  struct Case {
    std::string reply;
    ErrorKind kind;
    std::string_view message;
    int requests;
  };
  const std::vector<Case> cases = {
      {"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 8\r\n\r\n"
       ": ping\n\n",
       ErrorKind::protocol, "the event stream ended before its first event was whole", 1},
      {"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n",
       ErrorKind::network, "the connection closed before any of the stream arrived", 2},
      {"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
       "data: {\"choices",
       ErrorKind::network, "the connection closed before the stream's first event was whole", 2},
  };
  for (const Case& c : cases) {
    ScriptedServer server({cut(c.reply), cut(c.reply)});
    core::Runtime runtime{{LLMRT_TEST_PLUGIN_DIR}};
    core::ModelConfig config = test::scripted_server_config(server.api_base());
    config.retry.max_retries = 1;
    config.retry.initial_backoff = std::chrono::milliseconds(1);
    try {
      for (const core::StreamChunk& chunk :
           runtime.model(config).stream_chat({{.role = "user", .content = "hi"}})) {
        ADD_FAILURE() << chunk.delta;
      }
      ADD_FAILURE() << "the stream succeeded";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), c.kind) << e.what();
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    }
    EXPECT_EQ(server.requests(), c.requests) << c.message;
  }
}

INSTANTIATE_TEST_SUITE_P(BlockingAndOnTheLoop, HeadCut, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Batch" : "Blocking"; });

using HeadFields = HeadCut;

// A whole reply with `fields` (each ending in CRLF) and `body` as it goes on the wire; the
// server keeps the connection open after it.
Reply reply_with(std::string_view fields, std::string_view body) {
  return {"HTTP/1.1 200 OK\r\n" + std::string(fields) + "\r\n" + std::string(body), false};
}

std::string length_field() { return "Content-Length: " + std::to_string(kBody.size()) + "\r\n"; }

TEST_P(HeadFields, ALengthAndKeepAliveInAnyCaseKeepTheConnection) {
  const std::size_t calls = GetParam() ? 2 : 1;
  const Reply reply = reply_with(
      "content-type: application/json\r\nCONTENT-LENGTH: " + std::to_string(kBody.size()) +
          "\r\nconnection: KEEP-ALIVE\r\n",
      kBody);
  ScriptedServer server(std::vector<Reply>(2 * calls, reply));
  EXPECT_EQ(connections_opened_by_a_second_round(server), 0U);
}

TEST_P(HeadFields, AChunkedBodyInAnyCaseIsRead) {
  const std::size_t calls = GetParam() ? 2 : 1;
  std::ostringstream chunked;
  chunked << std::hex << kBody.size() << "\r\n" << kBody << "\r\n0\r\n\r\n";
  const Reply reply = reply_with("TRANSFER-ENCODING: Chunked\r\n", chunked.str());
  ScriptedServer server(std::vector<Reply>(2 * calls, reply));
  EXPECT_EQ(connections_opened_by_a_second_round(server), 0U);
}

TEST_P(HeadFields, ACloseInAnyCaseIsNotReused) {
  const std::size_t calls = GetParam() ? 2 : 1;
  const Reply reply = reply_with(length_field() + "CONNECTION: Close\r\n", kBody);
  ScriptedServer server(std::vector<Reply>(2 * calls, reply));
  EXPECT_EQ(connections_opened_by_a_second_round(server), calls);
}

// A Connection field is a list: a `close` anywhere in it ends the connection, whatever else it
// says (RFC 9112 §9.6); tokens are trimmed, and a token that only starts with "close" is none.
TEST_P(HeadFields, ConnectionTokensAreReadAsAList) {
  const std::size_t calls = GetParam() ? 2 : 1;
  const std::pair<const char*, bool> cases[] = {{",close,", false},
                                                {"Upgrade, CLOSE", false},
                                                {" \tclose\t ", false},
                                                {"close, keep-alive", false},
                                                {"keep-alive, close", false},
                                                {"closed", true},
                                                {"", true},
                                                {",,", true}};
  for (const auto& [value, reused] : cases) {
    const Reply reply = reply_with(length_field() + "Connection: " + value + "\r\n", kBody);
    ScriptedServer server(std::vector<Reply>(2 * calls, reply));
    EXPECT_EQ(connections_opened_by_a_second_round(server), reused ? 0U : calls)
        << "Connection: " << value;
  }
}

// A `close` in one Connection field and `keep-alive` in another: the connection ends, and no
// request goes out on it again (sent there, a server that closes after reading it would have
// it sent a second time, as to a stale pooled connection).
TEST_P(HeadFields, ACloseInAnyConnectionFieldEndsTheConnection) {
  const std::size_t calls = GetParam() ? 2 : 1;
  for (const char* fields : {"Connection: close\r\nConnection: keep-alive\r\n",
                             "Connection: keep-alive\r\nConnection: close\r\n"}) {
    ScriptedServer server(
        std::vector<Reply>(2 * calls, reply_with(length_field() + fields, kBody)));
    EXPECT_EQ(connections_opened_by_a_second_round(server), calls) << fields;
    EXPECT_EQ(server.requests(), static_cast<int>(2 * calls)) << fields;
  }
}

// HTTP/1.0 keeps a connection only when its reply asks to, and never after a body with a
// transfer coding, which that version does not know (RFC 9112 §6.1).
TEST_P(HeadFields, AnHttp10ReplyKeepsItsConnectionOnlyWhenAsked) {
  const std::size_t calls = GetParam() ? 2 : 1;
  std::ostringstream chunked;
  chunked << std::hex << kBody.size() << "\r\n" << kBody << "\r\n0\r\n\r\n";
  const std::pair<std::string, std::size_t> cases[] = {
      {"HTTP/1.0 200 OK\r\n" + length_field() + "Connection: keep-alive\r\n\r\n" +
           std::string(kBody),
       0},
      {"HTTP/1.0 200 OK\r\n" + length_field() + "\r\n" + std::string(kBody), calls},
      {"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n" +
           chunked.str(),
       calls}};
  for (const auto& [bytes, opened] : cases) {
    ScriptedServer server(std::vector<Reply>(2 * calls, Reply{bytes, false}));
    EXPECT_EQ(connections_opened_by_a_second_round(server), opened) << bytes;
  }
}

// A CR or NUL inside a field value is read as a space (RFC 9110 §5.5): the server's request id
// reaches the error whole, and no C string the value goes into stops at it. One in a field's
// name is refused.
TEST_P(HeadFields, ACrOrNulInAValueIsReadAsASpace) {
  const std::string error_body = R"({"error":{"message":"boom","type":"server_error"}})";
  // Replaced before trimming (one at an end goes with the blanks), and in a folded line too.
  const std::string nul(1, '\0');
  const std::string reply =
      "HTTP/1.1 500 Internal\r\nx-request-id: " + nul + "abc" + nul + "d\ref" + nul + "\r\n\tg" +
      nul + "h\r\nContent-Length: " + std::to_string(error_body.size()) + "\r\n\r\n" + error_body;
  ScriptedServer server({Reply{reply, false}, Reply{reply, false}});
  try {
    chat(model(server));
    FAIL() << "a 500 must fail";
  } catch (const Error& e) {
    EXPECT_EQ(e.info().request_id, "abc d ef g h") << e.what();
    EXPECT_EQ(e.info().message, "boom") << e.what();
  }
  const std::string bad_name = "HTTP/1.1 200 OK\r\nX-A" + std::string(1, '\0') + "B: 1\r\n" +
                               length_field() + "\r\n" + std::string(kBody);
  ScriptedServer refused({Reply{bad_name, false}, Reply{bad_name, false}});
  try {
    chat(model(refused));
    FAIL() << "a NUL in a field name must be refused";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("a CR or NUL in a field name: 'X-A\\x00B: 1'"),
              std::string::npos)
        << e.what();
  }
}

// After a chunk's size only an extension may follow: "0x…" is no chunk of size 0 with the data
// then swallowed as a trailer; blanks before an extension are allowed.
TEST_P(HeadFields, AChunkSizeLineWithJunkAfterTheSizeIsRefused) {
  std::ostringstream size;
  size << std::hex << kBody.size();
  for (const std::string& line : {"0x" + size.str(), size.str() + "zz"}) {
    const Reply reply = reply_with("Transfer-Encoding: chunked\r\n",
                                   line + "\r\n" + std::string(kBody) + "\r\n0\r\n\r\n");
    ScriptedServer server({reply, reply});
    try {
      chat(model(server));
      FAIL() << line;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("a chunk size line '" + line + "'"), std::string::npos)
          << e.what();
    }
  }
  const std::size_t calls = GetParam() ? 2 : 1;
  const Reply extended =
      reply_with("Transfer-Encoding: chunked\r\n",
                 size.str() + " \t;name=\"v\"\r\n" + std::string(kBody) + "\r\n0\r\n\r\n");
  ScriptedServer server(std::vector<Reply>(2 * calls, extended));
  EXPECT_EQ(connections_opened_by_a_second_round(server), 0U);
}

// A framing line past 8 KiB is refused however the reads split it: here it arrives in one write.
TEST_P(HeadFields, AChunkFramingLinePast8KiBIsRefusedWhenItArrivesWhole) {
  std::ostringstream size;
  size << std::hex << kBody.size();
  const Reply reply = reply_with(
      "Transfer-Encoding: chunked\r\n",
      size.str() + ";" + std::string(9000, 'e') + "\r\n" + std::string(kBody) + "\r\n0\r\n\r\n");
  ScriptedServer server({reply, reply});
  try {
    chat(model(server));
    FAIL() << "a 9 KB chunk-size line must be refused";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("a framing line of more than 8 KiB"), std::string::npos)
        << e.what();
  }
}

// Extensions within the line limit but far beyond the data they come with (8 KB on each 1-byte
// chunk): refused after 64 KiB more than the data, not read for as long as the server sends.
TEST_P(HeadFields, ChunkExtensionsFarBeyondTheirDataAreRefused) {
  std::string body;
  const std::string extension = ";" + std::string(8000, 'e');
  for (int i = 0; i < 20; ++i) body += "1" + extension + "\r\nx\r\n";
  body += "0\r\n\r\n";
  const Reply reply = reply_with("Transfer-Encoding: chunked\r\n", body);
  ScriptedServer server({reply, reply});
  try {
    chat(model(server));
    FAIL() << "160 KB of extensions for 20 bytes must be refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::protocol) << e.what();
    EXPECT_NE(std::string(e.what()).find("chunk extensions of more than 64 KiB"), std::string::npos)
        << e.what();
  }
}

// A folded line (obsolete, RFC 9112 §5.2) belongs to the field above it, and is read as part of
// it; a field whose colon is its last byte has an empty value; lines may end in a bare LF.
TEST_P(HeadFields, FoldedEmptyAndBareLfLinesAreRead) {
  const std::size_t calls = GetParam() ? 2 : 1;
  {
    const Reply reply = reply_with(length_field() + "Connection: upgrade,\r\n close\r\n", kBody);
    ScriptedServer server(std::vector<Reply>(2 * calls, reply));
    EXPECT_EQ(connections_opened_by_a_second_round(server), calls);
  }
  {
    const Reply reply = reply_with(length_field() + "X-Empty:\r\nX-Blank: \t\r\n", kBody);
    ScriptedServer server(std::vector<Reply>(2 * calls, reply));
    EXPECT_EQ(connections_opened_by_a_second_round(server), 0U);
  }
  {
    const Reply reply{"HTTP/1.1 200 OK\nContent-Length: " + std::to_string(kBody.size()) +
                          "\nConnection: keep-alive\n\n" + std::string(kBody),
                      false};
    ScriptedServer server(std::vector<Reply>(2 * calls, reply));
    EXPECT_EQ(connections_opened_by_a_second_round(server), 0U);
  }
}

INSTANTIATE_TEST_SUITE_P(BlockingAndOnTheLoop, HeadFields, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Batch" : "Blocking"; });

}  // namespace
}  // namespace llmrt
